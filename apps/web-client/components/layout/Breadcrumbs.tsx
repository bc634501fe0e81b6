import Link from 'next/link';
import { SITE_URL } from '@/lib/site';
import { JsonLd } from './JsonLd';

export interface Crumb {
  name: string;
  href: string;
}

/** Visible breadcrumb trail plus its schema.org BreadcrumbList. The last crumb is the current page. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        {items.map((item, i) => (
          <li key={item.href}>
            {i === items.length - 1 ? (
              <span aria-current="page">{item.name}</span>
            ) : (
              // Home's payload is the largest: fetched on click, not on sight.
              <Link href={item.href} prefetch={item.href === '/' ? false : undefined}>
                {item.name}
              </Link>
            )}
          </li>
        ))}
      </ol>
      <JsonLd
        data={{
          '@context': 'https://schema.org',
          '@type': 'BreadcrumbList',
          itemListElement: items.map((item, i) => ({
            '@type': 'ListItem',
            position: i + 1,
            name: item.name,
            item: `${SITE_URL}${item.href}`,
          })),
        }}
      />
    </nav>
  );
}
