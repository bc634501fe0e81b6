import Link from 'next/link';
import type { CategoryNode, Collection } from '@/lib/catalog';
import { SHOP_NAME } from '@/lib/site';
import styles from './Footer.module.css';
import { Logo } from './Logo';

export function Footer({
  categories,
  collections,
}: {
  categories: CategoryNode[];
  collections: Collection[];
}) {
  return (
    <footer className={styles.footer}>
      <div className={`container ${styles.grid}`}>
        <div className={styles.about}>
          <p className={styles.brand}>
            <Logo size={24} />
            {SHOP_NAME}
          </p>
          <p>Turn every product around in 3D and place it in your room before you buy.</p>
        </div>
        <nav aria-label="Shop">
          <h2 className={styles.heading}>Shop</h2>
          <ul>
            {categories.map((c) => (
              <li key={c.id}>
                <Link href={`/categories/${c.handle}`}>{c.name}</Link>
              </li>
            ))}
            <li>
              <Link href="/search">All products</Link>
            </li>
          </ul>
        </nav>
        {collections.length > 0 && (
          <nav aria-label="Collections">
            <h2 className={styles.heading}>Collections</h2>
            <ul>
              {collections.map((c) => (
                <li key={c.id}>
                  <Link href={`/collections/${c.handle}`}>{c.title}</Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <nav aria-label="Help">
          <h2 className={styles.heading}>Your account</h2>
          <ul>
            <li>
              <Link href="/account">Account</Link>
            </li>
            <li>
              <Link href="/cart">Cart</Link>
            </li>
          </ul>
        </nav>
      </div>
      <div className={`container ${styles.legal}`}>
        <p>
          © {new Date().getFullYear()} {SHOP_NAME}. 3D models are shown with their authors’ attribution.
        </p>
      </div>
    </footer>
  );
}
