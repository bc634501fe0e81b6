/** The shop mark: an isometric cube, drawn in currentColor. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true" focusable="false">
      <path d="M16 2 29 9.5v13L16 30 3 22.5v-13L16 2Z" fill="currentColor" />
      <path d="M16 2 29 9.5 16 17 3 9.5 16 2Z" fill="#fff" fillOpacity=".28" />
      <path d="M16 17v13L3 22.5v-13L16 17Z" fill="#000" fillOpacity=".18" />
    </svg>
  );
}
