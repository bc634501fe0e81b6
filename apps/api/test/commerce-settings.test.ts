import {
  DEMO_SHOP_CURRENCY,
  type Promotion,
  priceCart,
  quoteShipping,
  type ShippingMethod,
  seedDemoCommerceSettings,
  type TaxRate,
} from '@e3d/commerce';
import {
  type PromotionDoc,
  problemSchema,
  promotionListSchema,
  promotionSchema,
  type ShippingMethodDoc,
  shippingMethodListSchema,
  shippingMethodSchema,
  shopSettingsSchema,
  type TaxRateDoc,
  taxRateListSchema,
  taxRateSchema,
} from '@e3d/contracts';
import {
  type Client,
  client,
  expectRoleMatrix,
  fieldsOf,
  type RouteCase,
  UNKNOWN_ID,
} from '@e3d/testing/admin-api';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROUTES: RouteCase[] = [
  { method: 'GET', url: '/api/admin/settings/commerce', permission: 'catalog:read' },
  { method: 'PUT', url: '/api/admin/settings/commerce', permission: 'settings:write', body: {} },
  { method: 'GET', url: '/api/admin/tax-rates', permission: 'orders:read' },
  { method: 'POST', url: '/api/admin/tax-rates', permission: 'settings:write', body: {} },
  {
    method: 'PATCH',
    url: `/api/admin/tax-rates/${UNKNOWN_ID}`,
    permission: 'settings:write',
    body: { ratePpm: 1 },
  },
  { method: 'DELETE', url: `/api/admin/tax-rates/${UNKNOWN_ID}`, permission: 'settings:write' },
  { method: 'GET', url: '/api/admin/shipping-methods', permission: 'orders:read' },
  { method: 'POST', url: '/api/admin/shipping-methods', permission: 'settings:write', body: {} },
  { method: 'GET', url: `/api/admin/shipping-methods/${UNKNOWN_ID}`, permission: 'orders:read' },
  {
    method: 'PATCH',
    url: `/api/admin/shipping-methods/${UNKNOWN_ID}`,
    permission: 'settings:write',
    body: { name: 'x' },
  },
  { method: 'DELETE', url: `/api/admin/shipping-methods/${UNKNOWN_ID}`, permission: 'settings:write' },
  { method: 'GET', url: '/api/admin/promotions', permission: 'orders:read' },
  { method: 'POST', url: '/api/admin/promotions', permission: 'settings:write', body: {} },
  { method: 'GET', url: `/api/admin/promotions/${UNKNOWN_ID}`, permission: 'orders:read' },
  {
    method: 'PATCH',
    url: `/api/admin/promotions/${UNKNOWN_ID}`,
    permission: 'settings:write',
    body: { active: false },
  },
  { method: 'DELETE', url: `/api/admin/promotions/${UNKNOWN_ID}`, permission: 'settings:write' },
];

/** The ShippingMethod pricing reads, from the row the admin API shows. */
function toShippingMethod(doc: ShippingMethodDoc): ShippingMethod {
  return {
    id: doc.code,
    currency: doc.currency,
    rates: doc.rates,
    ...(doc.freeOver === null ? {} : { freeOver: doc.freeOver }),
  };
}

function toTaxRate(doc: TaxRateDoc): TaxRate {
  return {
    country: doc.country,
    ratePpm: doc.ratePpm,
    appliesToShipping: doc.appliesToShipping,
    ...(doc.region === null ? {} : { region: doc.region }),
    ...(doc.category === null ? {} : { category: doc.category }),
  };
}

function toPromotion(doc: PromotionDoc): Promotion {
  return {
    code: doc.code,
    value:
      doc.kind === 'percentage'
        ? { kind: 'percentage', basisPoints: doc.basisPoints ?? 0 }
        : { kind: 'fixed', amount: doc.amount ?? 0 },
    ...(doc.currency === null ? {} : { currency: doc.currency }),
    ...(doc.minimumSubtotal === null ? {} : { minimumSubtotal: doc.minimumSubtotal }),
    ...(doc.startsAt === null ? {} : { startsAt: new Date(doc.startsAt) }),
    ...(doc.expiresAt === null ? {} : { expiresAt: new Date(doc.expiresAt) }),
    ...(doc.usageLimit === null ? {} : { usageLimit: doc.usageLimit }),
    usedCount: doc.usedCount,
  };
}

const codeOf = (body: unknown) => problemSchema.parse(body).code;

describe.each(BACKENDS)('commerce settings admin API on %s', (backend) => {
  let api: TestApi;
  let owner: Client;
  let ownerId: string;
  let support: Client;
  let editor: Client;
  let anonymous: Client;
  let firstSeed: Awaited<ReturnType<typeof seedDemoCommerceSettings>>;
  let secondSeed: Awaited<ReturnType<typeof seedDemoCommerceSettings>>;

  const ok = async (response: Promise<{ status: number; body: unknown }>, status = 200) => {
    const r = await response;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body;
  };

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: false });
    firstSeed = await api.db.transaction((conn) => seedDemoCommerceSettings(conn));
    secondSeed = await seedDemoCommerceSettings(api.db);
    const o = await staffToken(api, 'owner');
    [owner, ownerId] = [client(api, o.token), o.id];
    support = client(api, (await staffToken(api, 'support')).token);
    editor = client(api, (await staffToken(api, 'catalog_editor')).token);
    anonymous = client(api, undefined);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lets order staff read and only owners write', async () => {
    await expectRoleMatrix(api, ROUTES);
    expect((await support('GET', '/api/admin/promotions')).status).toBe(200);
    const supportWrite = await support('POST', '/api/admin/promotions', {
      code: 'NOPE',
      kind: 'percentage',
      basisPoints: 1,
    });
    expect([supportWrite.status, codeOf(supportWrite.body)]).toEqual([403, 'forbidden']);
    const editorRead = await editor('GET', '/api/admin/tax-rates');
    expect([editorRead.status, codeOf(editorRead.body)]).toEqual([403, 'forbidden']);
    const noToken = await anonymous('GET', '/api/admin/settings/commerce');
    expect([noToken.status, codeOf(noToken.body)]).toEqual([401, 'unauthenticated']);
  });

  it('seeds the demo settings once, as valid rows pricing can use', async () => {
    expect(firstSeed).toEqual({ shippingMethods: 2, taxRates: 5, promotions: 4 });
    expect(secondSeed).toEqual({ shippingMethods: 0, taxRates: 0, promotions: 0 });

    const settings = shopSettingsSchema.parse(await ok(support('GET', '/api/admin/settings/commerce')));
    expect(settings).toMatchObject({ currency: DEMO_SHOP_CURRENCY, pricesIncludeTax: false });

    const methods = shippingMethodListSchema.parse(
      await ok(support('GET', '/api/admin/shipping-methods')),
    ).items;
    expect(methods.map((m) => [m.code, m.minDays, m.maxDays, m.currency])).toEqual([
      ['standard', 3, 5, 'USD'],
      ['express', 1, 2, 'USD'],
    ]);
    const [standard, express] = methods.map(toShippingMethod) as [ShippingMethod, ShippingMethod];
    const quote = (method: ShippingMethod, country: string, weightGrams: number, merchandiseTotal = 2_000) =>
      quoteShipping(method, { country, weightGrams, merchandiseTotal }).amount;
    expect(quote(standard, 'US', 1_500)).toBe(500);
    expect(quote(standard, 'US', 2_000)).toBe(500);
    expect(quote(standard, 'US', 5_000)).toBe(900);
    expect(quote(standard, 'US', 25_000)).toBe(1_900);
    expect(quote(standard, 'US', 1_500, 10_000)).toBe(0);
    expect(quote(standard, 'CA', 1_000)).toBe(1_200);
    expect(quote(standard, 'DE', 3_000)).toBe(2_500);
    expect(quote(standard, 'JP', 1_000)).toBe(2_000);
    expect(quote(standard, 'JP', 30_000)).toBe(4_000);
    expect(quote(express, 'US', 1_500, 50_000)).toBe(1_000);
    expect(quote(express, 'US', 25_000)).toBe(3_800);
    expect(quote(express, 'GB', 1_000)).toBe(2_400);
    expect(quote(express, 'AU', 5_000)).toBe(8_000);

    const rates = taxRateListSchema.parse(await ok(support('GET', '/api/admin/tax-rates'))).items;
    expect(rates.map((r) => [r.country, r.region, r.ratePpm, r.appliesToShipping])).toEqual([
      ['DE', null, 190_000, true],
      ['FR', null, 200_000, false],
      ['GB', null, 200_000, true],
      ['US', 'CA', 72_500, false],
      ['US', 'NY', 88_750, false],
    ]);
    const promotions = promotionListSchema.parse(await ok(support('GET', '/api/admin/promotions'))).items;
    expect(promotions.map((p) => p.code)).toEqual(['EXPIRED20', 'LIMITED1', 'SAVE5', 'WELCOME10']);
    const byCode = new Map(promotions.map((p) => [p.code, toPromotion(p)]));

    // A $50 lamp to New York: WELCOME10 takes $5, standard shipping $5, NY tax on $45.
    const cart = (promotion: Promotion | undefined, region = 'NY') =>
      priceCart({
        currency: settings.currency,
        pricesIncludeTax: settings.pricesIncludeTax,
        lines: [
          {
            variantId: 'lamp',
            unitPrice: { amount: 5_000, currency: 'USD' },
            quantity: 1,
            weightGrams: 1_000,
          },
        ],
        destination: { country: 'US', region },
        shippingMethod: standard,
        taxRates: rates.map(toTaxRate),
        ...(promotion ? { promotion } : {}),
      });
    const welcome = cart(byCode.get('WELCOME10'));
    expect(welcome).toMatchObject({ subtotal: 5_000, discountTotal: 500, shipping: 500, taxTotal: 399 });
    expect(welcome.grandTotal).toBe(5_399);
    expect(cart(byCode.get('SAVE5'), 'CA')).toMatchObject({ discountTotal: 500, taxTotal: 326 });
    expect(cart(byCode.get('EXPIRED20')).adjustments).toContainEqual(
      expect.objectContaining({ code: 'EXPIRED20', status: 'refused', reason: 'promotion_expired' }),
    );
    expect(cart(byCode.get('LIMITED1')).discountTotal).toBe(750);
  });

  it('reads and replaces the shop money settings', async () => {
    const updated = shopSettingsSchema.parse(
      await ok(
        owner('PUT', '/api/admin/settings/commerce', {
          currency: 'EUR',
          pricesIncludeTax: true,
          reservationMinutes: 30,
        }),
      ),
    );
    expect(updated).toMatchObject({ currency: 'EUR', pricesIncludeTax: true, reservationMinutes: 30 });
    expect(await ok(support('GET', '/api/admin/settings/commerce'))).toEqual(updated);

    const unpriceable = await owner('PUT', '/api/admin/settings/commerce', {
      currency: 'BGN',
      pricesIncludeTax: false,
      reservationMinutes: 15,
    });
    expect([unpriceable.status, codeOf(unpriceable.body), fieldsOf(unpriceable.body)]).toEqual([
      400,
      'invalid_parameter',
      ['currency'],
    ]);
    const tooLong = await owner('PUT', '/api/admin/settings/commerce', {
      currency: 'USD',
      pricesIncludeTax: false,
      reservationMinutes: 2_000,
    });
    expect([tooLong.status, codeOf(tooLong.body), fieldsOf(tooLong.body)]).toEqual([
      400,
      'invalid_body',
      ['reservationMinutes'],
    ]);
    await ok(
      owner('PUT', '/api/admin/settings/commerce', {
        currency: 'USD',
        pricesIncludeTax: false,
        reservationMinutes: 15,
      }),
    );
  });

  it('creates, updates and deletes tax rates', async () => {
    const created = taxRateSchema.parse(
      await ok(
        owner('POST', '/api/admin/tax-rates', {
          name: 'Ontario HST',
          country: 'ca',
          region: 'on',
          ratePpm: 130_000,
          appliesToShipping: true,
        }),
        201,
      ),
    );
    expect(created).toMatchObject({ country: 'CA', region: 'ON', category: null, ratePpm: 130_000 });

    const duplicate = await owner('POST', '/api/admin/tax-rates', {
      country: 'CA',
      region: 'ON',
      ratePpm: 1,
    });
    expect([duplicate.status, codeOf(duplicate.body), fieldsOf(duplicate.body)]).toEqual([
      409,
      'tax_rate_exists',
      ['country'],
    ]);
    // Another category of the same place is another rate.
    const reduced = taxRateSchema.parse(
      await ok(
        owner('POST', '/api/admin/tax-rates', { country: 'CA', region: 'ON', category: 'food', ratePpm: 0 }),
        201,
      ),
    );

    const listed = taxRateListSchema.parse(await ok(support('GET', '/api/admin/tax-rates?country=ca'))).items;
    expect(listed.map((r) => r.id)).toEqual([created.id, reduced.id]);

    const updated = taxRateSchema.parse(
      await ok(owner('PATCH', `/api/admin/tax-rates/${created.id}`, { ratePpm: 135_000, region: null })),
    );
    expect(updated).toMatchObject({ id: created.id, region: null, ratePpm: 135_000, name: 'Ontario HST' });
    const clash = await owner('PATCH', `/api/admin/tax-rates/${reduced.id}`, {
      category: null,
      region: null,
    });
    expect([clash.status, codeOf(clash.body)]).toEqual([409, 'tax_rate_exists']);

    await ok(owner('DELETE', `/api/admin/tax-rates/${created.id}`), 204);
    const gone = await owner('DELETE', `/api/admin/tax-rates/${created.id}`);
    expect([gone.status, codeOf(gone.body)]).toEqual([404, 'tax_rate_not_found']);
    const missing = await owner('PATCH', `/api/admin/tax-rates/${UNKNOWN_ID}`, { ratePpm: 1 });
    expect([missing.status, codeOf(missing.body)]).toEqual([404, 'tax_rate_not_found']);
  });

  it('refuses tax rates pricing could not use, naming the field', async () => {
    const refuse = async (body: object, field: string) => {
      const r = await owner('POST', '/api/admin/tax-rates', body);
      expect([r.status, codeOf(r.body), fieldsOf(r.body)], JSON.stringify(body)).toEqual([
        400,
        'invalid_body',
        [field],
      ]);
    };
    await refuse({ country: 'XX', ratePpm: 1 }, 'country');
    await refuse({ country: 'USA', ratePpm: 1 }, 'country');
    await refuse({ country: 'UK', ratePpm: 1 }, 'country');
    await refuse({ country: 'US', ratePpm: 1_000_001 }, 'ratePpm');
    await refuse({ country: 'US', ratePpm: -1 }, 'ratePpm');
    await refuse({ country: 'US', ratePpm: 7.25 }, 'ratePpm');
    await refuse({ country: 'US', region: 'New York', ratePpm: 1 }, 'region');
  });

  it('creates, reads, updates and deletes shipping methods', async () => {
    const body = {
      code: 'Ground',
      name: 'Ground',
      rates: [
        {
          countries: ['us', 'CA'],
          brackets: [
            { amount: 1_500, maxWeightGrams: null },
            { maxWeightGrams: 1_000, amount: 700 },
          ],
        },
      ],
      minDays: 4,
      maxDays: 8,
    };
    const created = shippingMethodSchema.parse(
      await ok(owner('POST', '/api/admin/shipping-methods', body), 201),
    );
    expect(created).toMatchObject({
      code: 'ground',
      currency: 'USD', // the shop currency
      freeOver: null,
      active: true,
      rates: [
        { countries: ['US', 'CA'], brackets: [{ maxWeightGrams: 1_000, amount: 700 }, { amount: 1_500 }] },
      ],
    });
    expect(created.rates[0]?.brackets[1]).not.toHaveProperty('maxWeightGrams');
    expect(
      quoteShipping(toShippingMethod(created), { country: 'CA', weightGrams: 5_000, merchandiseTotal: 0 })
        .amount,
    ).toBe(1_500);

    const duplicate = await owner('POST', '/api/admin/shipping-methods', { ...body, code: 'GROUND' });
    expect([duplicate.status, codeOf(duplicate.body), fieldsOf(duplicate.body)]).toEqual([
      409,
      'code_taken',
      ['code'],
    ]);

    expect(await ok(support('GET', `/api/admin/shipping-methods/${created.id}`))).toEqual(created);
    const active = shippingMethodListSchema.parse(
      await ok(support('GET', '/api/admin/shipping-methods?active=true')),
    );
    expect(active.items.map((m) => m.code)).toContain('ground');

    const updated = shippingMethodSchema.parse(
      await ok(
        owner('PATCH', `/api/admin/shipping-methods/${created.id}`, {
          name: 'Ground saver',
          freeOver: 7_500,
          active: false,
          rates: [{ countries: '*', brackets: [{ amount: 999 }] }],
        }),
      ),
    );
    expect(updated).toMatchObject({ name: 'Ground saver', freeOver: 7_500, active: false, minDays: 4 });
    expect(updated.rates).toEqual([{ countries: '*', brackets: [{ amount: 999 }] }]);
    const inactive = shippingMethodListSchema.parse(
      await ok(support('GET', '/api/admin/shipping-methods?active=false')),
    );
    expect(inactive.items.map((m) => m.code)).toEqual(['ground']);

    const days = await owner('PATCH', `/api/admin/shipping-methods/${created.id}`, { minDays: 10 });
    expect([days.status, codeOf(days.body), fieldsOf(days.body)]).toEqual([
      400,
      'invalid_parameter',
      ['maxDays'],
    ]);
    const taken = await owner('PATCH', `/api/admin/shipping-methods/${created.id}`, { code: 'standard' });
    expect([taken.status, codeOf(taken.body)]).toEqual([409, 'code_taken']);

    await ok(owner('DELETE', `/api/admin/shipping-methods/${created.id}`), 204);
    const gone = await support('GET', `/api/admin/shipping-methods/${created.id}`);
    expect([gone.status, codeOf(gone.body)]).toEqual([404, 'shipping_method_not_found']);
  });

  it('refuses shipping methods pricing could not use, naming the field', async () => {
    const valid = { code: 'bad', name: 'Bad', rates: [{ countries: ['US'], brackets: [{ amount: 100 }] }] };
    const refuse = async (patch: object, fields: string[], code = 'invalid_body') => {
      const r = await owner('POST', '/api/admin/shipping-methods', { ...valid, ...patch });
      expect([r.status, codeOf(r.body), fieldsOf(r.body)], JSON.stringify(patch)).toEqual([
        400,
        code,
        fields,
      ]);
    };
    await refuse({ rates: [{ countries: ['US'], brackets: [{ amount: -1 }] }] }, [
      'rates.0.brackets.0.amount',
    ]);
    await refuse({ rates: [{ countries: ['US'], brackets: [{ amount: 1.5 }] }] }, [
      'rates.0.brackets.0.amount',
    ]);
    await refuse({ rates: [{ countries: ['US', 'ZZ'], brackets: [{ amount: 1 }] }] }, [
      'rates.0.countries.1',
    ]);
    await refuse({ rates: [{ countries: ['US'], brackets: [{ amount: 1 }, { amount: 2 }] }] }, [
      'rates.0.brackets.1.maxWeightGrams',
    ]);
    await refuse(
      {
        rates: [
          { countries: ['US'], brackets: [{ amount: 1 }] },
          { countries: ['CA', 'US'], brackets: [{ amount: 1 }] },
        ],
      },
      ['rates.1.countries.1'],
    );
    await refuse({ rates: [] }, ['rates']);
    await refuse({ freeOver: -1 }, ['freeOver']);
    await refuse({ minDays: 5, maxDays: 2 }, ['maxDays']);
    await refuse({ currency: 'BGN' }, ['currency'], 'invalid_parameter');
  });

  it('creates promotions with upper-case codes, lists, updates and deletes them', async () => {
    const created = promotionSchema.parse(
      await ok(
        owner('POST', '/api/admin/promotions', {
          code: ' spring25 ',
          kind: 'percentage',
          basisPoints: 2_500,
          startsAt: '2026-03-01T00:00:00Z',
          expiresAt: '2026-06-01T00:00:00+02:00',
        }),
        201,
      ),
    );
    expect(created).toMatchObject({
      code: 'SPRING25',
      kind: 'percentage',
      basisPoints: 2_500,
      amount: null,
      usedCount: 0,
      active: true,
      startsAt: '2026-03-01T00:00:00.000Z',
      expiresAt: '2026-05-31T22:00:00.000Z',
    });
    const duplicate = await owner('POST', '/api/admin/promotions', {
      code: 'Spring25',
      kind: 'percentage',
      basisPoints: 1,
    });
    expect([duplicate.status, codeOf(duplicate.body), fieldsOf(duplicate.body)]).toEqual([
      409,
      'code_taken',
      ['code'],
    ]);

    expect(await ok(support('GET', `/api/admin/promotions/${created.id}`))).toEqual(created);
    const search = promotionListSchema.parse(await ok(support('GET', '/api/admin/promotions?q=ring2')));
    expect(search.items.map((p) => p.code)).toEqual(['SPRING25']);

    // Switching to a fixed amount clears the percentage.
    const fixed = promotionSchema.parse(
      await ok(
        owner('PATCH', `/api/admin/promotions/${created.id}`, {
          kind: 'fixed',
          amount: 1_000,
          currency: 'USD',
        }),
      ),
    );
    expect(fixed).toMatchObject({ kind: 'fixed', amount: 1_000, currency: 'USD', basisPoints: null });
    const noCurrency = await owner('PATCH', `/api/admin/promotions/${created.id}`, { currency: null });
    expect([noCurrency.status, codeOf(noCurrency.body), fieldsOf(noCurrency.body)]).toEqual([
      400,
      'invalid_parameter',
      ['currency'],
    ]);
    const backwards = await owner('PATCH', `/api/admin/promotions/${created.id}`, {
      startsAt: '2026-07-01T00:00:00Z',
    });
    expect([backwards.status, fieldsOf(backwards.body)]).toEqual([400, ['expiresAt']]);
    const taken = await owner('PATCH', `/api/admin/promotions/${created.id}`, { code: 'welcome10' });
    expect([taken.status, codeOf(taken.body)]).toEqual([409, 'code_taken']);

    // An unused promotion can be deleted.
    await ok(owner('DELETE', `/api/admin/promotions/${created.id}`), 204);
    const gone = await support('GET', `/api/admin/promotions/${created.id}`);
    expect([gone.status, codeOf(gone.body)]).toEqual([404, 'promotion_not_found']);

    // One orders used is deactivated instead.
    const used = promotionSchema.parse(
      await ok(
        owner('POST', '/api/admin/promotions', { code: 'used-once', kind: 'percentage', basisPoints: 500 }),
        201,
      ),
    );
    await api.db.query('UPDATE promotions SET used_count = 1 WHERE id = $1', [used.id]);
    const refused = await owner('DELETE', `/api/admin/promotions/${used.id}`);
    expect([refused.status, codeOf(refused.body)]).toEqual([409, 'promotion_in_use']);
    const retired = promotionSchema.parse(
      await ok(owner('PATCH', `/api/admin/promotions/${used.id}`, { active: false })),
    );
    expect(retired).toMatchObject({ code: 'USED-ONCE', active: false, usedCount: 1 });
    const inactive = promotionListSchema.parse(
      await ok(support('GET', '/api/admin/promotions?active=false')),
    );
    expect(inactive.items.map((p) => p.code)).toEqual(['USED-ONCE']);

    // Pages in code order.
    const first = promotionListSchema.parse(await ok(support('GET', '/api/admin/promotions?limit=2')));
    expect(first.items.map((p) => p.code)).toEqual(['EXPIRED20', 'LIMITED1']);
    const second = promotionListSchema.parse(
      await ok(support('GET', `/api/admin/promotions?limit=2&cursor=${first.nextCursor}`)),
    );
    expect(second.items.map((p) => p.code)).toEqual(['SAVE5', 'USED-ONCE']);
  });

  it('refuses promotions pricing could not use, naming the field', async () => {
    const refuse = async (body: object, fields: string[]) => {
      const r = await owner('POST', '/api/admin/promotions', body);
      expect([r.status, codeOf(r.body), fieldsOf(r.body)], JSON.stringify(body)).toEqual([
        400,
        'invalid_body',
        fields,
      ]);
    };
    await refuse({ code: 'FIVE', kind: 'fixed', amount: 500 }, ['currency']);
    await refuse({ code: 'FIVE', kind: 'fixed', currency: 'USD' }, ['amount']);
    await refuse({ code: 'PCT', kind: 'percentage' }, ['basisPoints']);
    await refuse({ code: 'PCT', kind: 'percentage', basisPoints: 0 }, ['basisPoints']);
    await refuse({ code: 'PCT', kind: 'percentage', basisPoints: 10_001 }, ['basisPoints']);
    await refuse({ code: 'PCT', kind: 'percentage', basisPoints: 100, amount: 5 }, ['amount']);
    await refuse(
      {
        code: 'LATE',
        kind: 'percentage',
        basisPoints: 100,
        startsAt: '2026-02-01T00:00:00Z',
        expiresAt: '2026-01-01T00:00:00Z',
      },
      ['expiresAt'],
    );
    await refuse({ code: 'bad code!', kind: 'percentage', basisPoints: 100 }, ['code']);
    await refuse({ code: 'DATE', kind: 'percentage', basisPoints: 100, expiresAt: 'tomorrow' }, [
      'expiresAt',
    ]);
  });

  it('records every write in the audit log, by whom', async () => {
    const rows = await api.db.query<{ action: string; entity_type: string; staff_id: string }>(
      `SELECT action, entity_type, staff_id FROM audit_log
       WHERE entity_type IN ('shop_settings', 'tax_rate', 'shipping_method', 'promotion') ORDER BY id`,
    );
    const actions = new Set(rows.map((r) => r.action));
    for (const action of [
      'shop_settings.update',
      'tax_rate.create',
      'tax_rate.update',
      'tax_rate.delete',
      'shipping_method.create',
      'shipping_method.update',
      'shipping_method.delete',
      'promotion.create',
      'promotion.update',
      'promotion.delete',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(new Set(rows.map((r) => r.staff_id))).toEqual(new Set([ownerId]));
    // Refused writes left nothing behind.
    expect(rows.filter((r) => r.action === 'promotion.create')).toHaveLength(2);
  });
});
