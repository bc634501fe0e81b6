import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found', robots: { index: false } };

export default function NotFound() {
  return (
    <main id="main" className="container">
      <div className="message">
        <p className="eyebrow">404</p>
        <h1>We couldn’t find that page</h1>
        <p className="lede">
          The product may have sold out for good or moved. Try searching, or start again from the shop.
        </p>
        <search>
          <form action="/search" method="get" className="message-actions">
            <label htmlFor="nf-q" className="visually-hidden">
              Search products
            </label>
            <input id="nf-q" name="q" type="search" placeholder="Search products" className="message-input" />
            <button type="submit" className="button">
              Search
            </button>
          </form>
        </search>
        <div className="message-actions">
          <Link href="/" className="button button-secondary">
            Go to the home page
          </Link>
          <Link href="/search" className="button button-secondary">
            Browse all products
          </Link>
        </div>
      </div>
    </main>
  );
}
