import type { Dashboard } from '@e3d/contracts';
import Link from 'next/link';
import { formatMoney, formatNumber } from '@/lib/format';

type BestSeller = NonNullable<Dashboard['bestSellers']>[number];

/** The period's top products by units sold (paid orders). */
export function BestSellers({
  items,
  currency,
  productLinks,
}: {
  items: BestSeller[];
  currency: string;
  productLinks: boolean;
}) {
  return (
    <section className="card stack" aria-labelledby="best-sellers-heading">
      <h2 id="best-sellers-heading">Best sellers</h2>
      {items.length === 0 ? (
        <p className="muted">No paid orders in this period.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="num">
                  Units
                </th>
                <th scope="col" className="num">
                  Revenue
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.productId}>
                  <td>
                    {productLinks ? (
                      <Link href={`/products/${item.productId}`}>{item.title}</Link>
                    ) : (
                      item.title
                    )}
                  </td>
                  <td className="num">{formatNumber(item.quantity)}</td>
                  <td className="num">{formatMoney(item.revenue, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
