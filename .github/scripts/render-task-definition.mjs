#!/usr/bin/env node
/**
 * Renders one task definition of infra/ecs-task.json for `aws ecs register-task-definition`
 * (and aws-actions/amazon-ecs-deploy-task-definition): <IMAGE> becomes the new image and every
 * other <PLACEHOLDER> the same-named key of `terraform output -json ecs_task_template_values`.
 * Fails when a placeholder is left without a value, so a half-rendered definition never ships.
 *
 *   node .github/scripts/render-task-definition.mjs <service> <image> <values.json|-> [template]
 *
 * Prints the task definition JSON on stdout. Plain Node, no dependencies: it runs on the CI
 * runner before `pnpm install`, and the infra tests run it too.
 */
import { readFileSync } from 'node:fs';

export function renderTaskDefinition(template, service, image, values) {
  const definition = template.taskDefinitions?.[service];
  if (!definition) {
    const known = Object.keys(template.taskDefinitions ?? {}).join(', ');
    throw new Error(`no task definition "${service}" in the template (it has: ${known})`);
  }
  const substitutions = { ...values, IMAGE: image };
  const missing = new Set();
  const fill = (value) => {
    if (typeof value === 'string') {
      return value.replace(/<([A-Z][A-Z0-9_]*)>/g, (match, name) => {
        const replacement = substitutions[name];
        if (replacement === undefined || replacement === null || replacement === '') {
          missing.add(name);
          return match;
        }
        return String(replacement);
      });
    }
    if (Array.isArray(value)) return value.map(fill);
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
