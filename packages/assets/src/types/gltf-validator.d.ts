// Types for the parts of Khronos' `gltf-validator` (Dart compiled to JS, untyped) this package uses.
declare module 'gltf-validator' {
  export interface ValidationOptions {
    uri?: string;
    format?: 'glb' | 'gltf';
    externalResourceFunction?: (uri: string) => Promise<Uint8Array>;
    writeTimestamp?: boolean;
    maxIssues?: number;
    ignoredIssues?: string[];
    onlyIssues?: string[];
    severityOverrides?: Record<string, number>;
  }

  export interface ValidatorMessage {
    code: string;
    message: string;
    /** 0 error, 1 warning, 2 info, 3 hint. */
    severity: 0 | 1 | 2 | 3;
    pointer?: string;
    offset?: number;
  }

  export interface ValidatorResource {
    pointer: string;
    mimeType?: string;
    storage: 'data-uri' | 'buffer-view' | 'glb' | 'external';
    uri?: string;
    byteLength?: number;
    image?: {
      width: number;
      height: number;
      format?: string;
      primaries?: string;
      transfer?: string;
      bits?: number;
    };
  }

  export interface ValidatorReport {
    uri?: string;
    mimeType?: string;
    validatorVersion: string;
    issues: {
      numErrors: number;
      numWarnings: number;
      numInfos: number;
      numHints: number;
      messages: ValidatorMessage[];
      truncated: boolean;
    };
    info?: {
      version?: string;
      generator?: string;
      extensionsUsed?: string[];
      extensionsRequired?: string[];
      resources?: ValidatorResource[];
      animationCount?: number;
      materialCount?: number;
      drawCallCount?: number;
      totalVertexCount?: number;
      totalTriangleCount?: number;
    };
  }

  export function validateBytes(data: Uint8Array, options?: ValidationOptions): Promise<ValidatorReport>;
  export function validateString(json: string, options?: ValidationOptions): Promise<ValidatorReport>;
  export function version(): string;
}
