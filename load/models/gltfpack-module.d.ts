/** The gltfpack npm package (WebAssembly build of meshoptimizer's gltfpack) ships no types. */
declare module 'gltfpack' {
  export interface PackInterface {
    read(path: string): Uint8Array;
    write(path: string, data: Uint8Array): void;
  }
  /** Runs gltfpack with command-line `args`; resolves to its log, rejects with it on failure. */
  export function pack(args: string[], iface: PackInterface): Promise<string>;
  export function init(wasm: Promise<ArrayBuffer | Uint8Array> | ArrayBuffer | Uint8Array): void;
}
