// The code and config contexts the redaction corpus embeds each secret in: the shapes
// public scanners' rule tests use (INI, JSON, XML, YAML, Go, Java, Kotlin, PHP, Python,
// CSV, logstash, Makefile) and the rest of what shows up in agent transcripts (env,
// shell, TOML, properties, Ruby, C#, Rust, JS/TS, Dockerfile, Terraform, Kubernetes,
// curl, URLs, logs, Markdown). Written from scratch for this project.

/** A way of writing `name = secret` in some language or file format. */
export interface Context {
  name: string;
  render(name: string, secret: string): string;
}

const c = (name: string, render: (n: string, s: string) => string): Context => ({ name, render });
const upper = (n: string) => n.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[.-]/g, '_').toUpperCase();
const kebab = (n: string) => n.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
const header = (n: string) => kebab(n).replace(/(^|-)([a-z])/g, (_m, d: string, ch: string) => d + ch.toUpperCase());

/** Contexts where the secret is assigned to a name. */
export const CONTEXTS: Context[] = [
  c('env', (n, s) => `${upper(n)}=${s}`),
  c('env quoted', (n, s) => `${upper(n)}="${s}"`),
  c('shell export', (n, s) => `export ${upper(n)}=${s}`),
  c('shell inline', (n, s) => `${upper(n)}='${s}' ./scripts/deploy.sh --prod`),
  c('ini', (n, s) => `[default]\n${n} = ${s}\nregion = eu-west-1`),
  c('ini quoted', (n, s) => `${n}="${s}"`),
  c('json', (n, s) => `{\n  "name": "svc",\n  "${n}": "${s}"\n}`),
  c('json escaped', (n, s) => `"{\\"${n}\\": \\"${s}\\", \\"debug\\": false}"`),
  c('yaml', (n, s) => `config:\n  ${n}: ${s}\n  timeout: 30`),
  c('yaml double quote', (n, s) => `${n}: "${s}"`),
  c('yaml single quote', (n, s) => `${n}: '${s}'`),
  c('yaml literal block', (n, s) => `${n}: |\n  ${s}\n`),
  c('yaml folded block', (n, s) => `${n}: >-\n  ${s}\n`),
  c('toml', (n, s) => `[service]\n${n} = "${s}"`),
  c('properties', (n, s) => `app.client.${n}=${s}`),
  c('xml element', (n, s) => `<config>\n  <${n}>${s}</${n}>\n</config>`),
  c('xml element multiline', (n, s) => `<${n}>\n    ${s}\n</${n}>`),
  c('xml key/value', (n, s) => `<add key="${upper(n)}" value="${s}" />`),
  c('go var', (n, s) => `var ${n} string = "${s}"`),
  c('go short', (n, s) => `\t${n} := "${s}"`),
  c('go backticks', (n, s) => `${n} := \`${s}\``),
  c('java', (n, s) => `private static final String ${n} = "${s}";`),
  c('java setProperty', (n, s) => `System.setProperty("${upper(n)}", "${s}");`),
  c('kotlin typed', (n, s) => `val ${n}: String = "${s}"`),
  c('kotlin', (n, s) => `var ${n} = "${s}"`),
  c('python', (n, s) => `${n} = '${s}'`),
  c('python dict', (n, s) => `settings = {"${n}": "${s}", "retries": 3}`),
  c('python kwarg', (n, s) => `client = Client(${n}="${s}")`),
  c('js const', (n, s) => `const ${n} = "${s}";`),
  c('ts typed', (n, s) => `export const ${n}: string = '${s}';`),
  c('js object', (n, s) => `module.exports = {\n  ${n}: '${s}',\n};`),
  c('ruby', (n, s) => `${n} = "${s}"`),
  c('ruby hash', (n, s) => `config = { :${n} => "${s}" }`),
  c('php', (n, s) => `$${n} = "${s}";`),
  c('php concat', (n, s) => `$${n} .= "${s}";`),
  c('php array', (n, s) => `'${n}' => '${s}',`),
  c('c#', (n, s) => `string ${n} = "${s}";`),
  c('rust', (n, s) => `let ${n} = "${s}";`),
  c('rust const', (n, s) => `const ${upper(n)}: &str = "${s}";`),
  c('make recursive', (n, s) => `${upper(n)} = ${s}`),
  c('make simple', (n, s) => `${upper(n)} := ${s}`),
  c('make shell', (n, s) => `${upper(n)} ::= ${s}`),
  c('make evaluated', (n, s) => `${upper(n)} :::= ${s}`),
  c('make conditional', (n, s) => `${upper(n)} ?= ${s}`),
  c('make append', (n, s) => `${upper(n)} += ${s}`),
  c('dockerfile ENV', (n, s) => `FROM node:20\nENV ${upper(n)}=${s}\nRUN npm ci`),
  c('dockerfile ENV legacy', (n, s) => `ENV ${upper(n)} ${s}`),
  c('dockerfile ARG', (n, s) => `ARG ${upper(n)}=${s}`),
  c('terraform', (n, s) => `resource "x" "y" {\n  ${n.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()} = "${s}"\n}`),
  c('kubernetes env', (n, s) => `env:\n  - name: ${upper(n)}\n    value: "${s}"`),
  c('compose environment', (n, s) => `environment:\n  - ${upper(n)}=${s}`),
  c('cli flag', (n, s) => `deploy --${kebab(n)} ${s} --region eu`),
  c('cli flag equals', (n, s) => `deploy --${kebab(n)}=${s}`),
  c('curl header', (n, s) => `curl -H "X-${header(n)}: ${s}" https://api.example.com/v1/me`),
  c('url query', (n, s) => `https://api.example.com/v1/items?${n}=${s}&page=2`),
  c('log line', (n, s) => `2024-05-01T10:00:00Z INFO loaded config ${n}=${s} source=env`),
  c('markdown fence', (n, s) => `Run this first:\n\n\`\`\`bash\nexport ${upper(n)}="${s}"\n\`\`\`\n`),
  c('csv', (n, s) => `${n},${s},`),
  c('logstash', (n, s) => `  "${n}" => "${s}"`),
  c('powershell', (n, s) => `$env:${upper(n)} = "${s}"`),
];

/** Contexts with no name: only formats recognisable on their own are expected here. */
export const BARE_CONTEXTS: Context[] = [
  c('log bare', (_n, s) => `2024-05-01 12:00:01 DEBUG authenticating with ${s} (attempt 1)`),
  c('prose', (_n, s) => `I rotated it; the leaked one was ${s}. Please revoke it.`),
  c('markdown inline', (_n, s) => `The token \`${s}\` appeared in the CI log.`),
  c('json array', (_n, s) => `{"keys": ["${s}"]}`),
  c('shell positional', (_n, s) => `echo ${s} | gh auth login --with-token`),
  c('url path', (_n, s) => `GET https://api.example.com/v1/verify/${s} HTTP/1.1`),
];
