-- Trigram matching gives product search its typo tolerance. PGlite loads the extension
-- itself (see src/client.ts); RDS and Debian's PostgreSQL ship it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
