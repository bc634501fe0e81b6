import Link from 'next/link';
import { AccountLink } from '@/components/account/AccountLink';
import { CartLink } from '@/components/cart/CartLink';
import type { CategoryNode } from '@/lib/catalog';
import { SHOP_NAME } from '@/lib/site';
import styles from './Header.module.css';
import { Logo } from './Logo';
import { SearchBox } from './SearchBox';

export function Header({ categories }: { categories: CategoryNode[] }) {
  return (
    <header className={styles.header}>
      <div className={`container ${styles.bar}`}>
        <Link href="/" className={styles.brand} prefetch={false}>
          <Logo />
          <span>{SHOP_NAME}</span>
        </Link>
        <div className={styles.search}>
          <SearchBox />
        </div>
        <div className={styles.actions}>
          <AccountLink />
          <CartLink />
        </div>
      </div>
      <nav aria-label="Categories" className={styles.nav}>
        <ul className={`container ${styles.navList}`}>
          {categories.map((c) => (
            <li key={c.id}>
              <Link href={`/categories/${c.handle}`}>{c.name}</Link>
            </li>
          ))}
          <li>
            <Link href="/search">Shop all</Link>
          </li>
        </ul>
      </nav>
    </header>
  );
}
