'use client';

/** The header's account link: "Sign in", or the signed-in customer's menu (stub). */
export function AccountLink() {
  return <a href="/account">Account</a>;
}
