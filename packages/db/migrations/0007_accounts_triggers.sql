CREATE TRIGGER customers_updated_at BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION e3d_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER customer_addresses_updated_at BEFORE UPDATE ON customer_addresses FOR EACH ROW EXECUTE FUNCTION e3d_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER staff_updated_at BEFORE UPDATE ON staff FOR EACH ROW EXECUTE FUNCTION e3d_set_updated_at();
--> statement-breakpoint
-- The audit log is append-only: no role the application uses may rewrite history.
CREATE FUNCTION e3d_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION e3d_audit_log_append_only();
