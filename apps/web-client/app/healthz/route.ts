/**
 * Liveness for the load balancer and the container's HEALTHCHECK: answers when this Next server
 * does, without asking the API (a slow API must not get healthy app tasks replaced).
 */
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
