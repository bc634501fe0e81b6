import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * @cdktf/hcl2json: HashiCorp's HCL parser (Go, compiled to WASM) behind a JS API. Loaded with
 * require so its typings, which pull the DOM lib into the whole program, stay out of ours.
 */
const hcl2json = createRequire(import.meta.url)('@cdktf/hcl2json') as {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
  getReferencesInExpression(filename: string, expression: string): Promise<{ value: string }[]>;
};
const { parse, getReferencesInExpression } = hcl2json;

/** A block body as @cdktf/hcl2json gives it: attributes, and nested blocks as arrays. */
// biome-ignore lint/suspicious/noExplicitAny: parsed HCL is untyped JSON
export type Body = Record<string, any>;

export interface TerraformConfig {
  files: Record<string, Body>;
  variables: Map<string, Body>;
  locals: Map<string, unknown>;
  /** `aws_s3_bucket.assets` → its body. */
  resources: Map<string, Body>;
  /** `data.aws_iam_policy_document.xray` → its body. */
  data: Map<string, Body>;
  modules: Map<string, Body>;
  outputs: Map<string, Body>;
  /** Provider configurations: `aws`, `aws.us_east_1` (alias). */
  providers: Set<string>;
  /** Top-level `terraform` blocks (versions, backend). */
  terraform: Body[];
}

/** Parses HCL sources (file name → text); a file that does not parse rejects with its error. */
export async function parseTerraform(sources: Record<string, string>): Promise<TerraformConfig> {
  const config: TerraformConfig = {
    files: {},
    variables: new Map(),
    locals: new Map(),
    resources: new Map(),
    data: new Map(),
    modules: new Map(),
    outputs: new Map(),
    providers: new Set(),
    terraform: [],
  };
  for (const [name, text] of Object.entries(sources)) {
    const json = (await parse(name, text)) as Body;
    config.files[name] = json;
    for (const [varName, blocks] of Object.entries(json.variable ?? {})) {
      config.variables.set(varName, (blocks as Body[])[0] ?? {});
    }
    for (const block of (json.locals ?? []) as Body[]) {
      for (const [key, value] of Object.entries(block)) config.locals.set(key, value);
    }
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [resName, blocks] of Object.entries(byName as Body)) {
        config.resources.set(`${type}.${resName}`, (blocks as Body[])[0] ?? {});
      }
    }
    for (const [type, byName] of Object.entries(json.data ?? {})) {
      for (const [dataName, blocks] of Object.entries(byName as Body)) {
        config.data.set(`data.${type}.${dataName}`, (blocks as Body[])[0] ?? {});
      }
    }
    for (const [modName, blocks] of Object.entries(json.module ?? {})) {
      config.modules.set(modName, (blocks as Body[])[0] ?? {});
    }
    for (const [outName, blocks] of Object.entries(json.output ?? {})) {
      config.outputs.set(outName, (blocks as Body[])[0] ?? {});
    }
    for (const [provider, blocks] of Object.entries(json.provider ?? {})) {
      for (const block of blocks as Body[]) {
        config.providers.add(block.alias ? `${provider}.${block.alias}` : provider);
      }
    }
    config.terraform.push(...((json.terraform ?? []) as Body[]));
  }
  return config;
}

/** Every string in a parsed tree that holds an interpolation, with the file it came from. */
function* expressions(value: unknown): Generator<string> {
  if (typeof value === 'string') {
    if (value.includes('${')) yield value;
  } else if (Array.isArray(value)) {
    for (const item of value) yield* expressions(item);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // Object keys can be expressions too (e.g. `"${local.x}" = …`).
      if (key.includes('${')) yield key;
      yield* expressions(item);
    }
  }
}

/** Resource types come from these providers; any other first segment is an iterator or builtin. */
const RESOURCE_TYPE = /^(aws|random|archive|null|tls|time)_[a-z0-9_]+$/;

/**
 * Traversals written in an expression (`var.x`, `aws_lb.main.arn`, `data.t.n.json`), found by
 * reading its text: @cdktf/hcl2json's reference finder does not descend into `for` expressions
 * (`[for c in aws_lb_listener_rule.api.condition : …]`), which the scan covers.
 */
const TRAVERSAL = /(?<![\w.-])([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?/g;

async function references(file: string, expression: string): Promise<string[]> {
  const found = new Set((await getReferencesInExpression(file, expression)).map((r) => r.value));
  for (const [, head, second, third] of expression.matchAll(TRAVERSAL)) {
    found.add([head, second, third].filter(Boolean).join('.'));
  }
  return [...found];
}

/**
 * Problems with references: `var.X` without a variable block, `local.X` without a local,
 * `aws_foo.bar`, `data.aws_x.y` and `module.m` that nothing declares, `provider = aws.alias`
 * without that provider configuration. `files` are checked against `config`: by default its own
 * files; a `terraform test` file's assertions are checked against the module the same way.
 */
export async function findReferenceProblems(
  config: TerraformConfig,
  files: Record<string, Body> = config.files,
): Promise<string[]> {
  const problems = new Set<string>();
  for (const [file, json] of Object.entries(files)) {
    for (const expression of expressions(json)) {
      for (const value of await references(file, expression)) {
        const [head, second, third] = value.split('.');
        if (!second) continue;
        if (head === 'var') {
          if (!config.variables.has(second)) problems.add(`${file}: undeclared variable var.${second}`);
        } else if (head === 'local') {
          if (!config.locals.has(second)) problems.add(`${file}: undeclared local.${second}`);
        } else if (head === 'module') {
          if (!config.modules.has(second)) problems.add(`${file}: undeclared module.${second}`);
        } else if (head === 'data') {
          if (!config.data.has(`data.${second}.${third}`)) {
            problems.add(`${file}: undeclared data.${second}.${third}`);
          }
        } else if (head === 'aws' || head === 'random' || head === 'archive') {
          if (!config.providers.has(`${head}.${second}`))
            problems.add(`${file}: unconfigured provider ${head}.${second}`);
        } else if (head && RESOURCE_TYPE.test(head)) {
          if (!config.resources.has(`${head}.${second}`))
            problems.add(`${file}: undeclared ${head}.${second}`);
        }
      }
    }
  }
  return [...problems];
}

/** Providers the module requires (`required_providers` keys: aws, random, archive). */
export function requiredProviders(config: TerraformConfig): string[] {
  return config.terraform.flatMap((t) => (t.required_providers ?? []).flatMap((r: Body) => Object.keys(r)));
}

/**
 * Problems of a `terraform test` file (tests/*.tftest.hcl) against its module, for a test that
 * must run offline: a required provider or a provider configuration (`aws.us_east_1`) without a
 * `mock_provider` (Terraform would configure the real one and look for credentials), a real
 * `provider` block, a run that is not `command = plan`, a variable the module does not declare,
 * a required variable (no default) left out, and assertions that reference what the module does
 * not declare.
 */
export async function findTestProblems(config: TerraformConfig, file: string, test: Body): Promise<string[]> {
  const problems: string[] = [];
  const mocks = new Set(
    Object.entries((test.mock_provider ?? {}) as Record<string, Body[]>).flatMap(([name, list]) =>
      list.map((mock) => (mock.alias ? `${name}.${mock.alias}` : name)),
    ),
  );
  for (const provider of [...requiredProviders(config), ...config.providers]) {
    if (!mocks.has(provider)) problems.push(`${file}: no mock_provider for ${provider}`);
  }
  const dataTypes = new Set([...config.data.keys()].map((address) => address.split('.')[1]));
  for (const [name, list] of Object.entries((test.mock_provider ?? {}) as Record<string, Body[]>)) {
    for (const type of list.flatMap((mock) => Object.keys(mock.mock_data ?? {}))) {
      if (!dataTypes.has(type))
        problems.push(`${file}: mock_data ${type} (${name}) mocks no data source of the module`);
    }
  }
  for (const provider of Object.keys(test.provider ?? {})) {
    problems.push(`${file}: a real provider block (${provider}) needs credentials and the network`);
  }
  const runs = Object.entries((test.run ?? {}) as Record<string, Body[]>);
  if (runs.length === 0) problems.push(`${file}: no run block`);
  for (const [name, [run]] of runs) {
    // hcl2json gives the bare keyword as an expression: `command = plan` is "${plan}".
    // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL expression text, not a JS template
    if (run?.command !== '${plan}') problems.push(`${file}: run "${name}" is not command = plan`);
    if ((run?.assert ?? []).length === 0) problems.push(`${file}: run "${name}" asserts nothing`);
  }
  const given = new Set([
    ...((test.variables ?? []) as Body[]).flatMap((v) => Object.keys(v)),
    ...runs.flatMap(([, [run]]) => ((run?.variables ?? []) as Body[]).flatMap((v) => Object.keys(v))),
  ]);
  for (const name of given) {
    if (!config.variables.has(name)) problems.push(`${file}: variable ${name} is not declared in the module`);
  }
  for (const [name, variable] of config.variables) {
    if (!('default' in variable) && !given.has(name))
      problems.push(`${file}: required variable ${name} not set`);
  }
  problems.push(...(await findReferenceProblems(config, { [file]: { run: test.run ?? {} } })));
  return problems;
}

/** Reads every file of a folder whose name ends with `suffix` (not recursive). */
export function readFiles(dir: string, suffix: string): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(suffix)) sources[name] = readFileSync(path.join(dir, name), 'utf8');
  }
  return sources;
}

/** Parses one HCL file (a `.tftest.hcl`, a `.tfvars`) to JSON; rejects with its parse error. */
export async function parseHcl(file: string, text: string): Promise<Body> {
  return (await parse(file, text)) as Body;
}

/** Reads every `.tf` file of a folder (not recursive). */
export function readTerraformDir(dir: string): Record<string, string> {
  return readFiles(dir, '.tf');
}
