import { formatMoney } from '@/lib/money';

interface Money {
  amount: number;
  currency: string;
}

/** A price, "from" price or range, with the compare-at price struck through when on sale. */
export function Price({
  min,
  max,
  compareAt,
  className,
  range = 'from',
}: {
  min: Money;
  max?: Money;
  compareAt?: Money | null;
  className?: string;
  /** How differing min/max show: "From $10" (cards) or "$10 – $20". */
  range?: 'from' | 'span';
}) {
  const varies = max !== undefined && max.amount !== min.amount;
  const onSale = compareAt != null && compareAt.amount > min.amount;
  const current = varies
    ? range === 'from'
      ? `From ${formatMoney(min.amount, min.currency)}`
      : `${formatMoney(min.amount, min.currency)} – ${formatMoney(max.amount, max.currency)}`
    : formatMoney(min.amount, min.currency);
  return (
    <p className={className ? `price ${className}` : 'price'}>
      {onSale ? (
        <>
          <span className="visually-hidden">Sale price </span>
          <span className="price-sale">{current}</span>{' '}
          <span className="visually-hidden">Regular price </span>
          <s className="price-compare">{formatMoney(compareAt.amount, compareAt.currency)}</s>
        </>
      ) : (
        <span>{current}</span>
      )}
    </p>
  );
}
