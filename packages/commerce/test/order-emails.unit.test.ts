import { checkMessage, type MailMessage } from '@e3d/mail';
import { describe, expect, it } from 'vitest';
import {
  type OrderEmailData,
  orderCanceledEmail,
  orderConfirmationEmail,
  orderRefundedEmail,
  orderShippedEmail,
  type ShopIdentity,
} from '../src/emails/order-emails.ts';

const shop: ShopIdentity = { name: 'Oak & Pixel', storefrontUrl: 'https://shop.example.com' };
const orderUrl = 'https://shop.example.com/account/orders/1001';

function order(overrides: Partial<OrderEmailData> = {}): OrderEmailData {
  return {
    id: '0f8c5c1e-6a43-4c58-9d3e-2f1b7a9e4d21',
    number: 1001,
    email: 'ada@example.com',
    currency: 'USD',
    pricesIncludeTax: false,
    subtotal: 123456,
    discountTotal: 1000,
    shippingTotal: 599,
    taxTotal: 9876,
    grandTotal: 132931,
    promotionCode: 'SPRING10',
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 Analytical Way',
      line2: 'Apt 3',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
      country: 'US',
    },
    shippingMethodName: 'Standard',
    lines: [
      {
        productTitle: 'Oak Chair',
        variantTitle: 'Natural',
        sku: 'OAK-CHAIR-NAT',
        quantity: 2,
        unitPrice: 45000,
        total: 90000,
        imageUrl: 'https://cdn.example.com/oak-chair.png',
      },
      {
        productTitle: 'Desk Lamp',
        variantTitle: 'Default',
        sku: 'LAMP-1',
        quantity: 1,
        unitPrice: 33456,
        total: 33456,
      },
    ],
    placedAt: '2025-03-05T14:30:00.000Z',
    ...overrides,
  };
}

/** Intl puts a no-break space between a currency code and the number ("KWD 12.345"). */
const plain = (s: string) => s.replaceAll('\u00a0', ' ');

const refund = { id: 'rf_1', amount: 5000, totalRefunded: 5000, full: false };

function allEmails(data: OrderEmailData): MailMessage[] {
  return [
    orderConfirmationEmail(data, shop, orderUrl),
    orderShippedEmail(data, shop, orderUrl),
    orderRefundedEmail(data, shop, orderUrl, refund),
    orderCanceledEmail(data, shop, orderUrl, 'Out of stock'),
  ];
}

describe('order emails', () => {
  it('formats USD totals with cents and thousands separators', () => {
    const m = orderConfirmationEmail(order(), shop, orderUrl);
    expect(m.text).toContain('Subtotal: $1,234.56');
    expect(m.text).toContain('Discount (SPRING10): -$10.00');
    expect(m.text).toContain('Shipping (Standard): $5.99');
    expect(m.text).toContain('Tax: $98.76');
    expect(m.text).toContain('Total: $1,329.31');
    expect(m.html).toContain('$1,329.31');
    expect(m.text).not.toContain('Prices include tax');
  });

  it('formats EUR and notes that prices include tax for inclusive shops', () => {
    const m = orderConfirmationEmail(
      order({
        currency: 'EUR',
        pricesIncludeTax: true,
        subtotal: 1999,
        discountTotal: 0,
        shippingTotal: 0,
        taxTotal: 319,
        grandTotal: 1999,
        lines: [
          {
            productTitle: 'Mug',
            variantTitle: 'Blue',
            sku: 'MUG-B',
            quantity: 1,
            unitPrice: 1999,
            total: 1999,
          },
        ],
      }),
      shop,
      orderUrl,
    );
    expect(m.text).toContain('1 × €19.99 = €19.99');
    expect(m.text).toContain('Total: €19.99');
    expect(m.text).toContain('Tax (included): €3.19');
    expect(m.text).toContain('Prices include tax.');
    expect(m.html).toContain('Prices include tax.');
    expect(m.text).not.toContain('Discount');
  });

  it('formats JPY with no decimals', () => {
    const m = orderConfirmationEmail(
      order({
        currency: 'JPY',
        subtotal: 12345,
        discountTotal: 0,
        shippingTotal: 500,
        taxTotal: 1234,
        grandTotal: 14079,
        lines: [
          { productTitle: 'Tea', variantTitle: '', sku: 'TEA', quantity: 3, unitPrice: 4115, total: 12345 },
        ],
      }),
      shop,
      orderUrl,
    );
    expect(m.text).toContain('3 × ¥4,115 = ¥12,345');
    expect(m.text).toContain('Total: ¥14,079');
    expect(m.text).not.toMatch(/¥[\d,]+\.\d/);
  });

  it('formats KWD with three decimals', () => {
    const m = orderConfirmationEmail(
      order({
        currency: 'KWD',
        subtotal: 12345,
        discountTotal: 0,
        shippingTotal: 1000,
        taxTotal: 0,
        grandTotal: 13345,
        lines: [
          {
            productTitle: 'Rug',
            variantTitle: 'Red',
            sku: 'RUG',
            quantity: 1,
            unitPrice: 12345,
            total: 12345,
          },
        ],
      }),
      shop,
      orderUrl,
    );
    expect(plain(m.text)).toContain('Subtotal: KWD 12.345');
    expect(plain(m.text)).toContain('Shipping (Standard): KWD 1.000');
    expect(plain(m.text)).toContain('Total: KWD 13.345');
  });

  it('refuses amounts that are not integer minor units', () => {
    expect(() => orderConfirmationEmail(order({ grandTotal: 12.5 }), shop, orderUrl)).toThrow(RangeError);
  });

  it('escapes user-provided strings in the HTML', () => {
    const data = order({
      lines: [
        {
          productTitle: '<script>alert(1)</script> Salt & Pepper',
          variantTitle: '"Large" <b>',
          sku: 'S&P',
          quantity: 1,
          unitPrice: 500,
          total: 500,
          imageUrl: 'https://cdn.example.com/s&p.png',
        },
      ],
      shippingAddress: {
        name: 'Bobby <img src=x onerror=alert(1)>',
        line1: "O'Brien & Sons",
        city: 'Town',
        postalCode: '1000',
        country: 'DE',
      },
    });
    for (const m of allEmails(data)) {
      expect(m.html).not.toContain('<script>');
      expect(m.html).not.toContain('<img src=x');
      expect(m.html).not.toContain('<b>');
      expect(m.html).not.toMatch(/&(?!#\d+;|[a-z]+;)/); // every & starts an entity
    }
    const confirmation = orderConfirmationEmail(data, shop, orderUrl);
    expect(confirmation.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; Salt &#38; Pepper');
    expect(confirmation.html).toContain('alt="&#60;script&#62;alert(1)&#60;/script&#62; Salt &#38; Pepper');
    expect(confirmation.html).toContain('O&#39;Brien &#38; Sons');
    expect(confirmation.html).toContain('Oak &#38; Pixel');
    // The text part is plain text: no escaping, the title reads as typed.
    expect(confirmation.text).toContain('<script>alert(1)</script> Salt & Pepper – "Large" <b>');
  });

  it('links an http(s) tracking URL, and never a javascript: one', () => {
    const safe = orderShippedEmail(
      order({
        trackingCarrier: 'UPS',
        trackingNumber: '1Z999',
        trackingUrl: 'https://track.example.com/?n=1Z999&x=<1>',
      }),
      shop,
      orderUrl,
    );
    expect(safe.html).toContain('href="https://track.example.com/?n=1Z999&#38;x=%3C1%3E"');
    expect(safe.text).toContain('Track your package: https://track.example.com/?n=1Z999&x=%3C1%3E');
    expect(safe.text).toContain('Carrier: UPS');
    expect(safe.text).toContain('Tracking number: 1Z999');

    for (const trackingUrl of [
      'javascript:alert(document.cookie)',
      ' JaVaScRiPt:alert(1)',
      'data:text/html,x',
    ]) {
      const m = orderShippedEmail(order({ trackingNumber: '1Z999', trackingUrl }), shop, orderUrl);
      expect(m.html.toLowerCase()).not.toContain('javascript:');
      expect(m.html).not.toContain('data:text');
      expect(m.text.toLowerCase()).not.toContain('javascript:');
      expect(m.text).not.toContain('Track your package');
      expect(m.text).toContain('Tracking number: 1Z999');
      expect(m.html).toContain('1Z999');
    }
  });

  it('sets an idempotency key and subject per email', () => {
    const data = order();
    const [confirmation, shipped, refunded, canceled] = allEmails(data);
    expect(confirmation?.key).toBe(`order:${data.id}:confirmation`);
    expect(shipped?.key).toBe(`order:${data.id}:shipped`);
    expect(refunded?.key).toBe(`order:${data.id}:refund:rf_1`);
    expect(canceled?.key).toBe(`order:${data.id}:canceled`);
    expect(confirmation?.subject).toBe('Order #1001 confirmed');
    expect(shipped?.subject).toBe('Order #1001 is on its way');
    expect(refunded?.subject).toBe('Refund for order #1001');
    expect(canceled?.subject).toBe('Order #1001 canceled');
  });

  it('text part lists every line, the grand total, the address and the order link', () => {
    const m = orderConfirmationEmail(order(), shop, orderUrl);
    expect(m.text).toContain('- Oak Chair – Natural');
    expect(m.text).toContain('SKU: OAK-CHAIR-NAT');
    expect(m.text).toContain('2 × $450.00 = $900.00');
    expect(m.text).toContain('- Desk Lamp\n'); // the single "Default" variant is not shown
    expect(m.text).toContain('1 × $334.56 = $334.56');
    expect(m.text).toContain('Total: $1,329.31');
    expect(m.text).toContain('Ada Lovelace\n12 Analytical Way\nApt 3\nSpringfield, IL 62701\nUnited States');
    expect(m.text).toContain(`View your order: ${orderUrl}`);
    expect(m.text).toContain('March 5, 2025');
    expect(m.text).not.toContain('<');
  });

  it('refund email shows this refund and the running total', () => {
    const partial = orderRefundedEmail(order(), shop, orderUrl, refund);
    expect(partial.text).toContain('We issued a refund of $50.00 for order #1001.');
    expect(partial.text).toContain('So far $50.00 of the order total of $1,329.31 has been refunded.');
    const full = orderRefundedEmail(order(), shop, orderUrl, {
      id: 'rf_2',
      amount: 127931,
      totalRefunded: 132931,
      full: true,
    });
    expect(full.text).toContain('refunded in full ($1,329.31)');
    expect(full.key).toBe(`order:${order().id}:refund:rf_2`);
  });

  it('canceled email carries the reason, escaped in HTML', () => {
    const m = orderCanceledEmail(order(), shop, orderUrl, 'Payment <declined>\nby bank');
    expect(m.text).toContain('Reason: Payment <declined> by bank');
    expect(m.html).toContain('Payment &#60;declined&#62; by bank');
  });

  it('produces HTML documents with a language, a title and alt text for images', () => {
    for (const m of allEmails(order())) {
      expect(m.html).toMatch(/^<!doctype html>\n<html lang="en"/);
      expect(m.html).toContain(`<title>${m.subject}</title>`);
      for (const img of m.html.match(/<img [^>]*>/g) ?? []) expect(img).toMatch(/ alt="[^"]+"/);
    }
    const confirmation = orderConfirmationEmail(order(), shop, orderUrl);
    expect(confirmation.html).toContain('alt="Oak Chair – Natural"');
    expect(confirmation.html).toContain(`href="${orderUrl}"`);
  });

  it('every message passes checkMessage unchanged', () => {
    for (const data of [order(), order({ currency: 'JPY' }), order({ currency: 'KWD' })]) {
      for (const m of allEmails(data)) expect(checkMessage(m)).toEqual(m);
    }
  });
});
