/**
 * The customer's order emails: confirmation, shipped, refunded, canceled. Each is plain text
 * that reads on its own plus the same words as simple table-based HTML (inline styles, no
 * images carrying text). Every value that came from a person (titles, names, address, reason,
 * tracking details) is escaped in the HTML, and links are only made from http(s) URLs.
 * Each message carries an idempotency `key`, so enqueueing it twice sends it once.
 */

import type { MailMessage } from '@e3d/mail';
import { addressLines, escapeHtml, formatDate, formatMoney, httpUrl, oneLine } from './format.ts';

export interface OrderEmailLine {
  productTitle: string;
  variantTitle: string;
  sku: string;
  quantity: number;
  /** Minor units of the order's currency. */
  unitPrice: number;
  /** Minor units of the order's currency. */
  total: number;
  imageUrl?: string | null;
}

export interface OrderEmailData {
  id: string;
  number: number;
  email: string;
  currency: string;
  pricesIncludeTax: boolean;
  /** Totals are integer minor units of `currency`. */
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  grandTotal: number;
  promotionCode?: string | null;
  shippingAddress: {
    name: string;
    line1: string;
    line2?: string | null;
    city: string;
    region?: string | null;
    postalCode: string;
    country: string;
  };
  shippingMethodName?: string | null;
  lines: OrderEmailLine[];
  /** ISO timestamp. */
  placedAt: string;
  trackingNumber?: string | null;
  trackingCarrier?: string | null;
  trackingUrl?: string | null;
}

/**
 * The shop the email comes from. A signed-in customer's order page is
 * `${storefrontUrl}/account/orders/${number}`; guests get a signed link. Either way the caller
 * passes the link as `orderUrl`.
 */
export interface ShopIdentity {
  name: string;
  storefrontUrl: string;
}

export interface OrderRefund {
  id: string;
  /** This refund, in minor units. */
  amount: number;
  /** Everything refunded on the order so far, this refund included, in minor units. */
  totalRefunded: number;
  /** Whether the order is now refunded in full. */
  full: boolean;
}

export function orderConfirmationEmail(
  order: OrderEmailData,
  shop: ShopIdentity,
  orderUrl: string,
): MailMessage {
  const n = order.number;
  const placed = formatDate(order.placedAt);
  const intro = `Thank you for your order! We received order #${n} on ${placed} and will let you know when it ships.`;
  const text = [
    `Order #${n} confirmed`,
    '',
    intro,
    '',
    ...itemsText(order, true),
    '',
    ...totalsText(order),
    '',
    ...shippingText(order),
    '',
    `View your order: ${orderUrl}`,
    ...textFooter(shop),
  ];
  const html = [
    heading(`Order #${n} confirmed`),
    paragraph(escapeHtml(intro)),
    itemsHtml(order, true),
    totalsHtml(order),
    shippingHtml(order),
    button(orderUrl, 'View your order'),
  ];
  return message(order, `order:${order.id}:confirmation`, `Order #${n} confirmed`, text, html, shop, intro);
}

export function orderShippedEmail(order: OrderEmailData, shop: ShopIdentity, orderUrl: string): MailMessage {
  const n = order.number;
  const intro = `Good news: order #${n} has shipped and is on its way to you.`;
  const carrier = oneLine(order.trackingCarrier ?? '');
  const trackingNumber = oneLine(order.trackingNumber ?? '');
  const trackingUrl = httpUrl(order.trackingUrl);

  const trackingTextLines: string[] = [];
  if (carrier) trackingTextLines.push(`Carrier: ${carrier}`);
  if (trackingNumber) trackingTextLines.push(`Tracking number: ${trackingNumber}`);
  if (trackingUrl) trackingTextLines.push(`Track your package: ${trackingUrl}`);

  const trackingHtmlRows: string[] = [];
  if (carrier) trackingHtmlRows.push(labelValueRow('Carrier', escapeHtml(carrier)));
  if (trackingNumber) trackingHtmlRows.push(labelValueRow('Tracking number', escapeHtml(trackingNumber)));

  const text = [
    `Order #${n} is on its way`,
    '',
    intro,
    '',
    ...(trackingTextLines.length > 0 ? [...trackingTextLines, ''] : []),
    ...itemsText(order, false),
    '',
    ...shippingText(order),
    '',
    `View your order: ${orderUrl}`,
    ...textFooter(shop),
  ];
  const html = [
    heading(`Order #${n} is on its way`),
    paragraph(escapeHtml(intro)),
    trackingHtmlRows.length > 0 ? keyValueTable(trackingHtmlRows) : '',
    trackingUrl ? button(trackingUrl, 'Track your package') : '',
    itemsHtml(order, false),
    shippingHtml(order),
    trackingUrl ? paragraph(link(orderUrl, 'View your order')) : button(orderUrl, 'View your order'),
  ];
  return message(order, `order:${order.id}:shipped`, `Order #${n} is on its way`, text, html, shop, intro);
}

export function orderRefundedEmail(
  order: OrderEmailData,
  shop: ShopIdentity,
  orderUrl: string,
  refund: OrderRefund,
): MailMessage {
  const n = order.number;
  const money = (amount: number) => formatMoney(amount, order.currency);
  const intro = `We issued a refund of ${money(refund.amount)} for order #${n}.`;
  const status = refund.full
    ? `Order #${n} is now refunded in full (${money(refund.totalRefunded)}).`
    : `So far ${money(refund.totalRefunded)} of the order total of ${money(order.grandTotal)} has been refunded.`;
  const timing =
    'The money goes back to your original payment method. Depending on your bank, it can take a few business days to show up on your statement.';
  const text = [
    `Refund for order #${n}`,
    '',
    intro,
    status,
    '',
    timing,
    '',
    `Refund: ${money(refund.amount)}`,
    `Total refunded: ${money(refund.totalRefunded)}`,
    `Order total: ${money(order.grandTotal)}`,
    '',
    `View your order: ${orderUrl}`,
    ...textFooter(shop),
  ];
  const html = [
    heading(`Refund for order #${n}`),
    paragraph(`${escapeHtml(intro)} ${escapeHtml(status)}`),
    keyValueTable([
      labelValueRow('Refund', escapeHtml(money(refund.amount)), true),
      labelValueRow('Total refunded', escapeHtml(money(refund.totalRefunded))),
      labelValueRow('Order total', escapeHtml(money(order.grandTotal))),
    ]),
    paragraph(escapeHtml(timing)),
    button(orderUrl, 'View your order'),
  ];
  return message(
    order,
    `order:${order.id}:refund:${refund.id}`,
    `Refund for order #${n}`,
    text,
    html,
    shop,
    intro,
  );
}

export function orderCanceledEmail(
  order: OrderEmailData,
  shop: ShopIdentity,
  orderUrl: string,
  reason: string,
): MailMessage {
  const n = order.number;
  const intro = `Order #${n}, placed on ${formatDate(order.placedAt)}, has been canceled.`;
  const why = oneLine(reason);
  const refundNote =
    'If you were charged, the money goes back to your original payment method and we will email you when the refund is issued.';
  const text = [
    `Order #${n} canceled`,
    '',
    intro,
    ...(why ? [`Reason: ${why}`] : []),
    '',
    refundNote,
    '',
    ...itemsText(order, true),
    '',
    ...totalsText(order),
    '',
    `View your order: ${orderUrl}`,
    ...textFooter(shop),
  ];
  const html = [
    heading(`Order #${n} canceled`),
    paragraph(escapeHtml(intro)),
    why ? paragraph(`<strong>Reason:</strong> ${escapeHtml(why)}`) : '',
    paragraph(escapeHtml(refundNote)),
    itemsHtml(order, true),
    totalsHtml(order),
    button(orderUrl, 'View your order'),
  ];
  return message(order, `order:${order.id}:canceled`, `Order #${n} canceled`, text, html, shop, intro);
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

function message(
  order: OrderEmailData,
  key: string,
  subject: string,
  text: string[],
  htmlBlocks: string[],
  shop: ShopIdentity,
  preheader: string,
): MailMessage {
  return {
    to: order.email,
    subject,
    text: `${text.join('\n')}\n`,
    html: layout(subject, preheader, htmlBlocks.filter(Boolean).join('\n'), shop),
    key,
  };
}

/** "Desk Lamp – Black"; the variant is left out when it is the single "Default" variant. */
function itemName(line: OrderEmailLine): string {
  const product = oneLine(line.productTitle);
  const variant = oneLine(line.variantTitle);
  return variant && variant !== 'Default' ? `${product} – ${variant}` : product;
}

function itemsText(order: OrderEmailData, withPrices: boolean): string[] {
  const out = ['Items', '-----'];
  for (const line of order.lines) {
    out.push(`- ${itemName(line)}`);
    const sku = oneLine(line.sku);
    if (sku) out.push(`  SKU: ${sku}`);
    out.push(
      withPrices
        ? `  ${line.quantity} × ${formatMoney(line.unitPrice, order.currency)} = ${formatMoney(line.total, order.currency)}`
        : `  Quantity: ${line.quantity}`,
    );
  }
  return out;
}

interface TotalRow {
  label: string;
  value: string;
  strong?: boolean;
}

function totalRows(order: OrderEmailData): TotalRow[] {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const rows: TotalRow[] = [{ label: 'Subtotal', value: money(order.subtotal) }];
  if (order.discountTotal !== 0) {
    const code = oneLine(order.promotionCode ?? '');
    rows.push({ label: code ? `Discount (${code})` : 'Discount', value: money(-order.discountTotal) });
  }
  const method = oneLine(order.shippingMethodName ?? '');
  rows.push({ label: method ? `Shipping (${method})` : 'Shipping', value: money(order.shippingTotal) });
  rows.push({
    label: order.pricesIncludeTax ? 'Tax (included)' : 'Tax',
    value: money(order.taxTotal),
  });
  rows.push({ label: 'Total', value: money(order.grandTotal), strong: true });
  return rows;
}

const TAX_INCLUDED_NOTE = 'Prices include tax.';

function totalsText(order: OrderEmailData): string[] {
  const out = totalRows(order).map((row) => `${row.label}: ${row.value}`);
  if (order.pricesIncludeTax) out.push(TAX_INCLUDED_NOTE);
  return out;
}

function shippingText(order: OrderEmailData): string[] {
  const method = oneLine(order.shippingMethodName ?? '');
  return [
    'Shipping to',
    '-----------',
    ...addressLines(order.shippingAddress),
    ...(method ? [`Shipping method: ${method}`] : []),
  ];
}

function textFooter(shop: ShopIdentity): string[] {
  return ['', `— ${oneLine(shop.name)}`, shop.storefrontUrl];
}

// ---------------------------------------------------------------------------------------------
// HTML

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
const TEXT_COLOR = '#18181b';
const MUTED_COLOR = '#52525b';
const RULE = '1px solid #e4e4e7';
const ACCENT = '#1d4ed8';

function layout(title: string, preheader: string, body: string, shop: ShopIdentity): string {
  const shopName = escapeHtml(oneLine(shop.name));
  const storefront = httpUrl(shop.storefrontUrl);
  const footer = storefront ? link(storefront, oneLine(shop.name), MUTED_COLOR) : shopName;
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(title)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;">${escapeHtml(preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border-radius:8px;">
<tr><td style="padding:24px;${FONT};font-size:16px;line-height:1.5;color:${TEXT_COLOR};">
<p style="margin:0 0 16px;font-size:14px;color:${MUTED_COLOR};">${shopName}</p>
${body}
</td></tr>
</table>
<p style="margin:16px 0 0;${FONT};font-size:13px;line-height:1.5;color:${MUTED_COLOR};">${footer}</p>
</td></tr>
</table>
</body>
</html>
`;
}

/** `html` is already escaped. */
const paragraph = (html: string) => `<p style="margin:0 0 16px;">${html}</p>`;

const heading = (text: string) =>
  `<h1 style="margin:0 0 16px;font-size:24px;line-height:1.25;color:${TEXT_COLOR};">${escapeHtml(text)}</h1>`;

const subheading = (text: string) =>
  `<h2 style="margin:24px 0 8px;font-size:18px;line-height:1.3;color:${TEXT_COLOR};">${escapeHtml(text)}</h2>`;

/** A link to `url` (escaped here), or just the label when `url` is not http(s). */
function link(url: string, label: string, color = ACCENT): string {
  const safe = httpUrl(url);
  if (!safe) return escapeHtml(label);
  return `<a href="${escapeHtml(safe)}" style="color:${color};text-decoration:underline;">${escapeHtml(label)}</a>`;
}

/** A bulletproof-ish button: a padded link in a table cell; nothing when `url` is not http(s). */
function button(url: string, label: string): string {
  const safe = httpUrl(url);
  if (!safe) return '';
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:24px 0 16px;">
<tr><td style="border-radius:6px;background-color:${ACCENT};">
<a href="${escapeHtml(safe)}" style="display:inline-block;padding:12px 20px;${FONT};font-size:16px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(label)}</a>
</td></tr>
</table>`;
}

const CELL = `padding:8px 0;border-bottom:${RULE};vertical-align:top;`;
const HEAD_CELL = `padding:8px 0;border-bottom:${RULE};font-size:13px;font-weight:600;color:${MUTED_COLOR};`;

function itemsHtml(order: OrderEmailData, withPrices: boolean): string {
  const money = (amount: number) => escapeHtml(formatMoney(amount, order.currency));
  const head = [
    `<th scope="col" align="left" style="${HEAD_CELL}text-align:left;">Item</th>`,
    `<th scope="col" align="right" style="${HEAD_CELL}text-align:right;padding-left:12px;">Qty</th>`,
    ...(withPrices
      ? [
          `<th scope="col" align="right" style="${HEAD_CELL}text-align:right;padding-left:12px;">Price</th>`,
          `<th scope="col" align="right" style="${HEAD_CELL}text-align:right;padding-left:12px;">Total</th>`,
        ]
      : []),
  ].join('');
  const rows = order.lines.map((line) => {
    const name = itemName(line);
    const sku = oneLine(line.sku);
    const image = httpUrl(line.imageUrl);
    const description = `<strong>${escapeHtml(name)}</strong>${
      sku ? `<br><span style="font-size:13px;color:${MUTED_COLOR};">SKU: ${escapeHtml(sku)}</span>` : ''
    }`;
    const item = image
      ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
<td style="padding-right:12px;vertical-align:top;"><img src="${escapeHtml(image)}" alt="${escapeHtml(name)}" width="56" height="56" style="display:block;width:56px;height:56px;border:0;border-radius:4px;object-fit:cover;"></td>
<td style="vertical-align:top;">${description}</td>
</tr></table>`
      : description;
    const cells = [
      `<td style="${CELL}">${item}</td>`,
      `<td align="right" style="${CELL}text-align:right;padding-left:12px;white-space:nowrap;">${line.quantity}</td>`,
      ...(withPrices
        ? [
            `<td align="right" style="${CELL}text-align:right;padding-left:12px;white-space:nowrap;">${money(line.unitPrice)}</td>`,
            `<td align="right" style="${CELL}text-align:right;padding-left:12px;white-space:nowrap;">${money(line.total)}</td>`,
          ]
        : []),
    ].join('\n');
    return `<tr>\n${cells}\n</tr>`;
  });
  return `${subheading('Items')}
<table width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:15px;">
<thead><tr>${head}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** A row of a two-column label/value table; `valueHtml` is already escaped. */
function labelValueRow(label: string, valueHtml: string, strong = false): string {
  const weight = strong ? 'font-weight:700;' : '';
  return `<tr><th scope="row" align="left" style="padding:4px 0;text-align:left;font-weight:${strong ? 700 : 400};">${escapeHtml(label)}</th><td align="right" style="padding:4px 0 4px 12px;text-align:right;white-space:nowrap;${weight}">${valueHtml}</td></tr>`;
}

/** Label/value rows (row headers are `th scope="row"`, so screen readers pair them). */
function keyValueTable(rows: string[]): string {
  return `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:16px 0;font-size:15px;">
${rows.join('\n')}
</table>`;
}

function totalsHtml(order: OrderEmailData): string {
  const rows = totalRows(order).map((row) => labelValueRow(row.label, escapeHtml(row.value), row.strong));
  const note = order.pricesIncludeTax
    ? `<p style="margin:0 0 16px;font-size:13px;color:${MUTED_COLOR};">${escapeHtml(TAX_INCLUDED_NOTE)}</p>`
    : '';
  return `${keyValueTable(rows)}${note ? `\n${note}` : ''}`;
}

function shippingHtml(order: OrderEmailData): string {
  const method = oneLine(order.shippingMethodName ?? '');
  const address = addressLines(order.shippingAddress).map(escapeHtml).join('<br>');
  return `${subheading('Shipping to')}
<p style="margin:0 0 8px;">${address}</p>${
    method
      ? `\n<p style="margin:0 0 16px;color:${MUTED_COLOR};">Shipping method: ${escapeHtml(method)}</p>`
      : ''
  }`;
}
