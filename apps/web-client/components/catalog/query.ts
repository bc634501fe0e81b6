import { PAGE_SIZE, type ProductQuery, SHOP_CURRENCY } from '@/lib/catalog';
import { type ListingState, minorPrices } from './listing-params';

/** A listing's URL state → the API query for its current page. */
export function productQuery(
  state: ListingState,
  scope: Pick<ProductQuery, 'category' | 'collection' | 'q'>,
): ProductQuery {
  return {
    ...scope,
    limit: PAGE_SIZE,
    cursor: state.cursor,
    sort: state.sort,
    inStock: state.inStock || undefined,
    has3d: state.has3d || undefined,
    ...minorPrices(state, SHOP_CURRENCY),
  };
}
