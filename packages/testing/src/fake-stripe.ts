import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server that speaks the few Stripe endpoints the provider uses, with Stripe's
 * behaviors that matter here: form-encoded bodies, Idempotency-Key replay (same response for
 * the same key), 402 card errors carrying the PaymentIntent, `expand[]=latest_charge`.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, string>;
  headers: IncomingMessage['headers'];
}

interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
}

interface Intent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  amount_capturable: number;
  currency: string;
  status: string;
  capture_method: string;
  client_secret: string;
  metadata: Record<string, string>;
  latest_charge: string | null;
  last_payment_error: Record<string, unknown> | null;
  next_action: Record<string, unknown> | null;
}

const id = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

export interface FakeStripe {
  port: number;
  requests: RecordedRequest[];
  /**
   * While true, a PaymentIntent create is carried out (the card is charged, the answer kept
   * for Idempotency-Key replays) but never answered: a connection that dies after the money
   * moved, as when the caller is killed mid-request.
   */
  stallCreates: boolean;
  /** Resolves once `count` creates are stalled. */
  stalled(count: number): Promise<void>;
  /** The intents made so far, as Stripe holds them. */
  intent(id: string): Record<string, unknown> | undefined;
  intentIdsForOrder(orderId: string): string[];
  /** A Stripe event about the intent as it is now, as a webhook body (sign it with stripeTestSignature). */
  eventPayload(type: string, intentId: string): string;
  /** Refunds made, oldest first. */
  refunds: { id: string; payment_intent: string; amount: number }[];
  close(): Promise<void>;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: RecordedRequest[] = [];
  const intents = new Map<string, Intent>();
  const charges = new Map<string, Charge>();
  const replays = new Map<string, { status: number; body: unknown }>();

  const view = (intent: Intent, expand: boolean) => ({
    ...intent,
    latest_charge: expand && intent.latest_charge ? charges.get(intent.latest_charge) : intent.latest_charge,
  });
  const wantsExpand = (params: URLSearchParams | Record<string, string>) => {
    const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
    return entries.some(([k, v]) => k.startsWith('expand') && v === 'latest_charge');
  };
  const error = (status: number, body: Record<string, unknown>) => ({ status, body: { error: body } });

  const refunds: FakeStripe['refunds'] = [];
  function handle(req: RecordedRequest): { status: number; body: unknown } {
    const { method, path, body } = req;
    if (method === 'GET' && path === '/v1/payment_intents/search') {
      // The one query shape the provider sends: metadata['order_id']:'<id>'.
      const wanted = /metadata\['order_id'\]:'([^']*)'/.exec(req.query.get('query') ?? '')?.[1];
      const data = [...intents.values()].filter(
        (i) => wanted !== undefined && i.metadata.order_id === wanted,
      );
      return {
        status: 200,
        body: { object: 'search_result', data, has_more: false, next_page: null, url: path },
      };
    }
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(body.amount);
      const manual = body.capture_method === 'manual';
      const intent: Intent = {
        id: id('pi'),
        object: 'payment_intent',
        amount,
        amount_received: 0,
        amount_capturable: 0,
        currency: body.currency ?? 'usd',
        status: 'requires_payment_method',
        capture_method: body.capture_method ?? 'automatic',
        client_secret: '',
        metadata: { order_id: body['metadata[order_id]'] ?? '' },
        latest_charge: null,
        last_payment_error: null,
        next_action: null,
      };
      intent.client_secret = `${intent.id}_secret_${randomBytes(6).toString('hex')}`;
      intents.set(intent.id, intent);
      switch (body.payment_method) {
        case 'pm_card_visa': {
          const charge: Charge = {
            id: id('ch'),
            object: 'charge',
            amount,
            amount_captured: manual ? 0 : amount,
            amount_refunded: 0,
          };
          charges.set(charge.id, charge);
          intent.latest_charge = charge.id;
          intent.status = manual ? 'requires_capture' : 'succeeded';
          intent.amount_received = manual ? 0 : amount;
          intent.amount_capturable = manual ? amount : 0;
          return { status: 200, body: view(intent, false) };
        }
        case 'pm_card_chargeDeclinedInsufficientFunds': {
          const lastError = {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            message: 'Your card has insufficient funds.',
          };
          intent.last_payment_error = lastError;
          return error(402, { ...lastError, payment_intent: view(intent, false) });
        }
        case 'pm_card_threeDSecure2Required':
          intent.status = 'requires_action';
          intent.next_action = {
            type: 'use_stripe_sdk',
            use_stripe_sdk: { type: 'three_d_secure_redirect' },
          };
          return { status: 200, body: view(intent, false) };
        default:
          return error(400, {
            type: 'invalid_request_error',
            code: 'resource_missing',
            param: 'payment_method',
            message: `No such PaymentMethod: '${body.payment_method}'`,
          });
      }
    }
    const match = /^\/v1\/payment_intents\/([^/]+)(\/capture|\/cancel)?$/.exec(path);
    if (match) {
      const intent = intents.get(decodeURIComponent(match[1] ?? ''));
      if (!intent) {
        return error(404, {
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'intent',
          message: 'No such payment_intent',
        });
      }
      if (method === 'GET' && !match[2]) return { status: 200, body: view(intent, wantsExpand(req.query)) };
      if (method === 'POST' && match[2] === '/cancel') {
        if (intent.status === 'succeeded' || intent.status === 'canceled') {
          return error(400, {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
          });
        }
        intent.status = 'canceled';
        intent.amount_capturable = 0;
        intent.next_action = null;
        return { status: 200, body: view(intent, false) };
      }
      if (method === 'POST' && match[2]) {
        if (intent.status !== 'requires_capture') {
          return error(400, {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message: 'not capturable',
          });
        }
        const captured = body.amount_to_capture ? Number(body.amount_to_capture) : intent.amount;
        const charge = charges.get(intent.latest_charge ?? '');
        if (charge) charge.amount_captured = captured;
        intent.status = 'succeeded';
        intent.amount_received = captured;
        intent.amount_capturable = 0;
        return { status: 200, body: view(intent, wantsExpand(body)) };
      }
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = intents.get(body.payment_intent ?? '');
      const charge = charges.get(intent?.latest_charge ?? '');
      if (!intent || !charge) {
        return error(404, {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: 'No such payment',
        });
      }
      const refundable = charge.amount_captured - charge.amount_refunded;
      const amount = body.amount ? Number(body.amount) : refundable;
      if (amount > refundable) {
        return error(400, {
          type: 'invalid_request_error',
          param: 'amount',
          message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable})`,
        });
      }
      charge.amount_refunded += amount;
      const refundId = id('re');
      refunds.push({ id: refundId, payment_intent: intent.id, amount });
      return {
        status: 200,
        body: {
          id: refundId,
          object: 'refund',
          amount,
          currency: intent.currency,
          payment_intent: intent.id,
          charge: charge.id,
          status: 'succeeded',
        },
      };
    }
    return error(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method} ${path})`,
    });
  }

  let stalledCount = 0;
  const stallWaiters: { count: number; resolve: () => void }[] = [];
  const control = { stallCreates: false };
  const server: Server = createServer((incoming: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://localhost');
      const raw = Buffer.concat(chunks).toString('utf8');
      const req: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        body: Object.fromEntries(new URLSearchParams(raw)),
        headers: incoming.headers,
      };
      requests.push(req);
      const key = incoming.headers['idempotency-key'];
      const replayKey = typeof key === 'string' ? `${req.method} ${req.path} ${key}` : undefined;
      const replay = replayKey ? replays.get(replayKey) : undefined;
      const response = replay ?? handle(req);
      if (replayKey && !replay) replays.set(replayKey, response);
      if (control.stallCreates && !replay && req.method === 'POST' && req.path === '/v1/payment_intents') {
        stalledCount += 1;
        for (const waiter of stallWaiters.filter((w) => w.count <= stalledCount)) {
          stallWaiters.splice(stallWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
        return;
      }
      res.writeHead(response.status, {
        'content-type': 'application/json',
        'request-id': id('req'),
        ...(replay ? { 'idempotent-replayed': 'true' } : {}),
      });
      res.end(JSON.stringify(response.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    refunds,
    get stallCreates() {
      return control.stallCreates;
    },
    set stallCreates(value: boolean) {
      control.stallCreates = value;
    },
    stalled: (count) =>
      new Promise<void>((resolve) => {
        if (stalledCount >= count) resolve();
        else stallWaiters.push({ count, resolve });
      }),
    intent: (intentId) => {
      const intent = intents.get(intentId);
      return intent ? view(intent, true) : undefined;
    },
    intentIdsForOrder: (orderId) =>
      [...intents.values()].filter((i) => i.metadata.order_id === orderId).map((i) => i.id),
    eventPayload: (type, intentId) =>
      JSON.stringify({
        id: id('evt'),
        object: 'event',
        type,
        created: Math.floor(Date.now() / 1000),
        data: { object: view(intents.get(intentId) as Intent, false) },
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
