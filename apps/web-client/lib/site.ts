/** The storefront's public origin: canonical URLs, Open Graph, sitemap. */
export const SITE_URL = (process.env.STOREFRONT_URL ?? 'http://localhost:3000').replace(/\/$/, '');
export const SHOP_NAME = process.env.SHOP_NAME ?? 'ecommerce-3d demo shop';
