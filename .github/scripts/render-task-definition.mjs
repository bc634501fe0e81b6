#!/usr/bin/env node
/**
 * Renders one task definition of infra/ecs-task.json for `aws ecs register-task-definition`
 * (and aws-actions/amazon-ecs-deploy-task-definition): <IMAGE> becomes the new image and every
 * other <PLACEHOLDER> the same-named key of `terraform output -json ecs_task_template_values`.
 *
 * - A string that is exactly one placeholder takes the value as it is when that is a list of
 *   strings (`"command": "<API_COMMAND>"`); anywhere else values are inserted as text.
 * - An `environment`/`secrets` entry whose whole value is one of the template's `optional`
 *   placeholders is left out when the value is "" or null (SENTRY_DSN without sentry_dsn,
 *   STRIPE_* without enable_stripe).
 * - Any other placeholder without a value (missing key, "" or null), and an optional one whose
 *   key is missing altogether (values exported before it existed), fails the render, so a
 *   half-rendered definition never ships and a stale ECS_TASK_TEMPLATE_VALUES never silently
 *   drops a setting.
 *
 *   node .github/scripts/render-task-definition.mjs <service> <image> <values.json|-> [template]
 *
 * Prints the task definition JSON on stdout. Plain Node, no dependencies: it runs on the CI
 * runner before `pnpm install`, and the infra tests run it too.
 */
import { readFileSync } from 'node:fs';

const PLACEHOLDER = /<([A-Z][A-Z0-9_]*)>/g;
const WHOLE_PLACEHOLDER = /^<([A-Z][A-Z0-9_]*)>$/;

const isEmpty = (value) => value === undefined || value === null || value === '';

export function renderTaskDefinition(template, service, image, values) {
  const definition = template.taskDefinitions?.[service];
  if (!definition) {
    const known = Object.keys(template.taskDefinitions ?? {}).join(', ');
    throw new Error(`no task definition "${service}" in the template (it has: ${known})`);
  }
  const optional = new Set((template.optional ?? []).map((p) => String(p).replace(/^<|>$/g, '')));
  const substitutions = { ...values, IMAGE: image };
  const has = (name) => Object.hasOwn(substitutions, name) && substitutions[name] !== undefined;
  const missing = new Set();

  /** The optional placeholder an environment/secrets entry consists of, when it is switched off. */
  const switchedOff = (item) => {
    if (!item || typeof item !== 'object' || Array.isArray(item) || typeof item.name !== 'string') {
      return false;
    }
    const raw = 'valueFrom' in item ? item.valueFrom : item.value;
    const name = typeof raw === 'string' ? WHOLE_PLACEHOLDER.exec(raw)?.[1] : undefined;
    if (!name || !optional.has(name)) return false;
    if (!has(name)) {
      missing.add(name); // the key itself must be there, even when empty
      return false;
    }
    return isEmpty(substitutions[name]);
  };

  const fill = (value) => {
    if (typeof value === 'string') {
      const whole = WHOLE_PLACEHOLDER.exec(value)?.[1];
      if (whole && Array.isArray(substitutions[whole])) {
        const list = substitutions[whole];
        if (list.length === 0 || !list.every((item) => typeof item === 'string')) missing.add(whole);
        return list;
      }
      return value.replace(PLACEHOLDER, (match, name) => {
        const replacement = substitutions[name];
        if (isEmpty(replacement) || typeof replacement === 'object') {
          missing.add(name);
          return match;
        }
        return String(replacement);
      });
    }
    if (Array.isArray(value)) return value.filter((item) => !switchedOff(item)).map(fill);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item)]));
    }
    return value;
  };
  const rendered = fill(definition);
  if (missing.size > 0) {
    throw new Error(
      `task definition "${service}": no value for ${[...missing].map((n) => `<${n}>`).join(', ')} ` +
        '(set the repository variable ECS_TASK_TEMPLATE_VALUES to `terraform output -json ecs_task_template_values`)',
    );
  }
  return rendered;
}

function main(argv) {
  const [service, image, valuesPath, templatePath = 'infra/ecs-task.json'] = argv;
  if (!service || !image || !valuesPath) {
    throw new Error('usage: render-task-definition.mjs <service> <image> <values.json|-> [template]');
  }
  const values = JSON.parse(readFileSync(valuesPath === '-' ? 0 : valuesPath, 'utf8'));
  const template = JSON.parse(readFileSync(templatePath, 'utf8'));
  process.stdout.write(
    `${JSON.stringify(renderTaskDefinition(template, service, image, values), null, 2)}\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`render-task-definition: ${error.message}`);
    process.exit(1);
  }
}
