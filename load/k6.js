/**
 * Production check of the deployment guide: browse, product, cart and checkout in the weighted mix
 * of load/mix.json (the same file `pnpm load:mix` replays locally), at a constant arrival rate.
 *
 *   k6 run -e BASE_URL=https://shop.example.com load/k6.js
 *   k6 run -e BASE_URL=https://staging.example.com -e RATE=200 -e DURATION=10m load/k6.js
 *
 * Settings (k6 -e NAME=value):
 *   BASE_URL        origin of the shop; the API answers under /api (required)
 *   RATE            requests per second over the whole mix (default mix.json target, > 100)
 *   DURATION        how long the constant rate is held (default mix.json, 5m)
 *   CHECKOUT        "false" leaves the checkout scenario out (it places real orders)
 *   PAYMENT_METHOD  what POST /api/checkout pays with: a test card with the built-in test provider
 *                   (default 4242424242424242); with Stripe in test mode a PaymentMethod id
 *                   such as pm_card_visa
 *   VARIANT_IDS     comma-separated variant ids to put in carts, instead of discovering them
 *
 * Thresholds (the run fails when one is crossed): fewer than 1 % failed requests and p95 under
 * 500 ms, over all requests and within each scenario.
 */
import { check, fail } from 'k6';
import http from 'k6/http';

const MIX = JSON.parse(open('./mix.json'));

const BASE_URL = (__ENV.BASE_URL || '').replace(/\/$/, '');
const RATE = Number(__ENV.RATE || MIX.target.k6RequestsPerSecond);
const DURATION = __ENV.DURATION || MIX.target.k6Duration;
const WITH_CHECKOUT = __ENV.CHECKOUT !== 'false';
const PAYMENT_METHOD = __ENV.PAYMENT_METHOD || MIX.checkout.card;

const SCENARIOS = MIX.scenarios.filter((s) => WITH_CHECKOUT || s.name !== 'checkout');
const TOTAL_WEIGHT = SCENARIOS.reduce((sum, s) => sum + s.weight, 0);

/**
 * Iterations per minute of each scenario, so that the requests (iterations x steps) add up to
 * RATE per second in the mix's proportions. Per minute keeps small scenarios from rounding to 0.
 */
function iterationsPerMinute(scenario) {
  const requestsPerSecond = (RATE * scenario.weight) / TOTAL_WEIGHT;
  return Math.max(1, Math.round((requestsPerSecond / scenario.steps.length) * 60));
}

function scenarioOptions() {
  const scenarios = {};
  for (const scenario of SCENARIOS) {
    const perSecond = iterationsPerMinute(scenario) / 60;
    // Enough VUs for each iteration to take ~2 s end to end before k6 starts dropping them.
    const vus = Math.ceil(perSecond * scenario.steps.length * 2) + 5;
    scenarios[scenario.name] = {
      executor: 'constant-arrival-rate',
      exec: scenario.name,
      rate: iterationsPerMinute(scenario),
      timeUnit: '1m',
      duration: DURATION,
      preAllocatedVUs: vus,
      maxVUs: vus * 4,
    };
  }
  return scenarios;
}

function thresholdOptions() {
  const failed = [`rate<${MIX.thresholds.maxFailedRate}`];
  const p95 = [`p(95)<${MIX.thresholds.p95Ms}`];
  const thresholds = {
    http_req_failed: failed,
    http_req_duration: p95,
    checks: ['rate>0.99'],
    // The arrival rate is only "held" if k6 did not have to skip iterations.
    dropped_iterations: [`count<${Math.max(1, Math.round(RATE))}`],
  };
  for (const scenario of SCENARIOS) {
    thresholds[`http_req_failed{scenario:${scenario.name}}`] = failed;
    thresholds[`http_req_duration{scenario:${scenario.name}}`] = p95;
  }
  return thresholds;
}

export const options = {
  scenarios: scenarioOptions(),
  thresholds: thresholdOptions(),
  // The checkout's 201 and the cart's answers are JSON we read; nothing else needs a body kept.
  discardResponseBodies: false,
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
  userAgent: 'e3d-k6-production-check',
};

const json = { headers: { 'content-type': 'application/json' } };

/** Products to open and variants to buy, and the shipping method, found on the live shop. */
export function setup() {
  if (!BASE_URL) fail('set BASE_URL, e.g. k6 run -e BASE_URL=https://shop.example.com load/k6.js');
  const list = http.get(`${BASE_URL}${MIX.discovery.productListPath}`);
  if (list.status !== 200) fail(`GET ${MIX.discovery.productListPath} answered ${list.status}`);
  const handles = list
    .json('items')
    .slice(0, MIX.discovery.maxProducts)
    .map((p) => p.handle);
  if (handles.length === 0) fail('the shop lists no products in stock');

  let variantIds = (__ENV.VARIANT_IDS || '').split(',').filter(Boolean);
  if (variantIds.length === 0) {
    for (const handle of handles) {
      const detail = http.get(`${BASE_URL}/api/products/${handle}`);
      if (detail.status !== 200) continue;
      for (const variant of detail.json('variants')) if (variant.available) variantIds.push(variant.id);
    }
  }
  if (variantIds.length === 0) fail('no variant is available to put in a cart');

  let shippingMethodId = null;
  if (WITH_CHECKOUT) {
    const shipping = http.get(`${BASE_URL}${MIX.discovery.shippingOptionsPath}`);
    if (shipping.status !== 200) fail(`GET ${MIX.discovery.shippingOptionsPath} answered ${shipping.status}`);
    const [first] = shipping.json('items');
    if (!first) fail('no shipping method reaches the load test address');
    shippingMethodId = first.id;
  }
  console.log(
    `mix at ${RATE} req/s for ${DURATION}: ${handles.length} products, ${variantIds.length} variants` +
      (WITH_CHECKOUT ? `, paying with ${PAYMENT_METHOD}` : ', checkout left out'),
  );
  variantIds = variantIds.slice(0, 500);
  return { handles, variantIds, shippingMethodId };
}

const pick = (items) => items[Math.floor(Math.random() * items.length)];

/** A v4 UUID for the Idempotency-Key (k6 has no crypto.randomUUID in every version). */
function uuid() {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = Math.floor(Math.random() * 16);
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

/** Replaces "{name}" strings in a template (a whole-string placeholder may become an object). */
function fill(template, vars) {
  if (typeof template === 'string') {
    const whole = /^\{(\w+)\}$/.exec(template);
    if (whole && whole[1] in vars) return vars[whole[1]];
    return template.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  }
  if (Array.isArray(template)) return template.map((item) => fill(item, vars));
  if (template && typeof template === 'object') {
    const out = {};
    for (const key of Object.keys(template)) out[key] = fill(template[key], vars);
    return out;
  }
  return template;
}

/** One iteration of a scenario: its steps in order, the cart id carried from step to step. */
function runScenario(name, data) {
  const scenario = SCENARIOS.find((s) => s.name === name);
  const vars = {
    handle: pick(data.handles),
    variantId: pick(data.variantIds),
    shippingMethodId: data.shippingMethodId,
    card: PAYMENT_METHOD,
    email: MIX.checkout.email,
    shippingAddress: MIX.checkout.shippingAddress,
    uuid: uuid(),
  };
  let cartId = null;
  for (const step of scenario.steps) {
    const headers = { ...fill(step.headers || {}, vars) };
    if (step.useCart && cartId) headers['x-cart-id'] = cartId;
    const url = `${BASE_URL}${fill(step.path, vars)}`;
    const params = { headers, tags: { step: step.name, name: `${step.method} ${step.path}` } };
    const response =
      step.method === 'GET'
        ? http.get(url, params)
        : http.request(step.method, url, JSON.stringify(fill(step.body, vars)), {
            ...params,
            headers: { ...json.headers, ...headers },
          });
    const ok = check(response, { [`${step.name}: ${step.expect}`]: (r) => r.status === step.expect });
    if (!ok) return;
    if (step.captureCart) {
      cartId = response.headers['X-Cart-Id'] || response.headers['x-cart-id'] || null;
      if (!check(cartId, { [`${step.name}: X-Cart-Id`]: (id) => Boolean(id) })) return;
    }
  }
}

export function browse(data) {
  runScenario('browse', data);
}

export function product(data) {
  runScenario('product', data);
}

export function cart(data) {
  runScenario('cart', data);
}

export function checkout(data) {
  runScenario('checkout', data);
}
