/** The order last placed in this tab: its confirmation page says thank you for it. */
const JUST_PLACED_KEY = 'e3d_just_placed';

export function rememberJustPlaced(orderId: string): void {
  try {
    sessionStorage.setItem(JUST_PLACED_KEY, orderId);
  } catch {
    // private mode: no thank-you banner, nothing else lost
  }
}

export function wasJustPlaced(orderId: string): boolean {
  try {
    return sessionStorage.getItem(JUST_PLACED_KEY) === orderId;
  } catch {
    return false; // storage unavailable
  }
}
