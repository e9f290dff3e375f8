import { COMPATIBILITY, INTRO, SOURCES, VALIDATION } from './doc-text.js';
import { FLAG_OVERRIDES } from './flags.js';
import { CONFIG_KEYS, type ConfigKey, leafOf, SECTIONS, sectionOf } from './keys/index.js';
import { REJECTED_KEYS } from './rejected.js';

/** Markdown table cell: pipes escaped, no line breaks. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text}\``;

function keyRow(key: ConfigKey): string {
  const names = [key.key, ...key.aliases].map((p, i) => (i === 0 ? code(leafOf(p)) : `${code(p)} (alias)`));
  const env = key.env.map(code).join('<br>');
  const secret = key.secret ? ' Secret: masked wherever shown.' : '';
  return `| ${names.join('<br>')} | ${env} | ${key.type.name} | ${cell(key.defaultText)} | ${cell(key.type.allowed)} | ${cell(key.description)}${secret} |`;
}

function sectionTables(): string[] {
  const out: string[] = ['## Keys'];
  for (const section of SECTIONS) {
    const keys = CONFIG_KEYS.filter((k) => sectionOf(k.key) === section);
    out.push('', section === '' ? '### Top level' : `### [${section}]`, '');
    out.push('| Key | Variables | Type | Default | Allowed | Meaning |', '|---|---|---|---|---|---|');
    out.push(...keys.map(keyRow));
  }
  return out;
}

function flagTable(): string[] {
  return [
    '## Command-line flags that override keys',
    '',
    'Flags of `atlas export` (and, for `--template-id`, of `atlas verify`); `--every` and `--listen` are flags of ' +
      '`atlas sync`, which also takes `--template-id`, `--batch-size`, `--parallel` and `--overlap-seconds`. ' +
      'Flags win over file and variables.',
    '',
    '| Flag | Sets |',
    '|---|---|',
    ...FLAG_OVERRIDES.filter((f) => !f.flag.startsWith('--log-')).map(
      (f) =>
        `| ${code(f.flag)} | ${f.keys.map((k) => code(k)).join(', ')}${f.value === 'true' ? ' = true' : ''} |`,
    ),
    '',
    'Global options: `-c/--config` (file), `-l/--log-level` (= `application.log_level`), `--log-format`',
    '(= `application.log_format`), accepted before or after the subcommand.',
  ];
}

function rejectedTable(): string[] {
  return [
    '## Keys of the original that are refused',
    '',
    'These load in the original but would do nothing (or something Atlas does not support) here, so Atlas',
    'stops with the reason instead of ignoring them. The same holds for their `ATLAS_*` variables.',
    '',
    '| Key | Reason |',
    '|---|---|',
    ...REJECTED_KEYS.map((r) => {
      const name = r.prefix ? `${r.path}${r.path.endsWith('_') ? '*' : '.*'}` : r.path;
      return `| ${code(name)} | ${cell(r.reason)} |`;
    }),
  ];
}

/** The whole of docs/configuration.md. */
export function renderConfigurationDoc(): string {
  return `${[INTRO, '', SOURCES, '', ...flagTable(), '', VALIDATION, '', ...sectionTables(), '', ...rejectedTable(), '', COMPATIBILITY].join('\n')}\n`;
}
