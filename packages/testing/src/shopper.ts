import { randomUUID } from 'node:crypto';
import type { TestApi } from './api.ts';

/** A US shipping address every checkout test can use. */
export const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '1 Market St',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
};

/** A shopper: keeps the cart cookie (and a token when signed in) like a browser would. */
export function shopper(api: TestApi, token?: string) {
  let cartCookie: string | undefined;
  const request = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await api.app.inject({
      method,
      url,
      headers: {
        ...(cartCookie ? { cookie: `e3d_cart=${cartCookie}` } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    const set = response.cookies.find((c) => c.name === 'e3d_cart');
    if (set) cartCookie = set.value;
    return {
      status: response.statusCode,
      body: response.body ? response.json() : null,
      headers: response.headers,
    };
  };
  return {
    request,
    get cartId() {
      return cartCookie;
    },
    setCart(id: string | undefined) {
      cartCookie = id;
    },
    add: (variantId: string, quantity = 1) => request('POST', '/api/cart/lines', { variantId, quantity }),
    cart: () => request('GET', '/api/cart'),
    checkout: (body: Record<string, unknown>, key: string | null = randomUUID()) =>
      request('POST', '/api/checkout', body, key ? { 'idempotency-key': key } : {}),
  };
}
