// batch/v1 Job and CronJob, mirroring k8s/pkg/apis/batch/validation/validation.go
// (ValidateJobSpec, validateJobSpec, ValidateCronJobSpec, ValidateJobTemplateSpec) and the
// schedule parser it calls (github.com/robfig/cron/v3 ParseStandard), whose error text the
// apiserver returns as-is.
import { validateSelectorMatchesTemplate, validateNonnegative } from './workloadRules';
import { validateLabelSelector } from './objectMetaRules';
import { isDNS1123Label } from './nameFormats';
import { int, isObj, obj, str, type Obj } from '../base/plainValue';
import { validatePodTemplate } from './podSpecRules';
import { ruleCodes } from './ruleCodes';
import { FieldPath, type RuleErrors } from './ruleError';

const code = ruleCodes.workload;

const maxParallelismForIndexedJob = 100000;
const replacementPolicies = ['Failed', 'TerminatingOrFailed'];

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** validateJobSpec: counts, completion mode, the pod template, and a restartPolicy of OnFailure or Never. */
function validateJobSpecCommon(s: Obj, path: FieldPath, errs: RuleErrors): void {
  for (const field of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
    'backoffLimitPerIndex',
    'maxFailedIndexes',
  ])
    validateNonnegative(s[field], path.child(field), errs);
  if (isSet(s.maxFailedIndexes) && !isSet(s.backoffLimitPerIndex))
    errs.required(code, path.child('backoffLimitPerIndex'), 'when maxFailedIndexes is specified');
  const mode = str(s.completionMode);
  if (mode && mode !== 'NonIndexed' && mode !== 'Indexed')
    errs.notSupported(ruleCodes.unsupportedValue, path.child('completionMode'), mode, ['NonIndexed', 'Indexed']);
  if (mode === 'Indexed') {
    if (!isSet(s.completions)) errs.required(code, path.child('completions'), 'when completion mode is Indexed');
    const parallelism = int(s.parallelism);
    if (parallelism !== undefined && parallelism > maxParallelismForIndexedJob)
      errs.invalid(
        code,
        path.child('parallelism'),
        parallelism,
        `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`,
      );
  } else {
    for (const field of ['backoffLimitPerIndex', 'maxFailedIndexes'])
      if (int(s[field]) !== undefined)
        errs.invalid(code, path.child(field), s[field], 'requires indexed completion mode');
  }
  const replacement = str(s.podReplacementPolicy);
  if (replacement) {
    const allowed = isSet(s.podFailurePolicy) ? ['Failed'] : replacementPolicies;
    if (!allowed.includes(replacement))
      errs.notSupported(ruleCodes.unsupportedValue, path.child('podReplacementPolicy'), replacement, allowed);
  }
  const template = path.child('template');
  validatePodTemplate(s.template, template, errs);
  // The restartPolicy is defaulted to Always, so Always and empty both read as "not chosen".
  const restart = str(obj(obj(s.template).spec).restartPolicy);
  const restartPath = template.child('spec', 'restartPolicy');
  if (restart === 'Always' || restart === '')
    errs.required(ruleCodes.restartPolicy, restartPath, 'valid values: "OnFailure", "Never"');
  else if (restart !== 'OnFailure' && restart !== 'Never')
    errs.notSupported(ruleCodes.restartPolicy, restartPath, restart, ['OnFailure', 'Never']);
  else if (isSet(s.podFailurePolicy) && restart !== 'Never')
    errs.invalid(
      ruleCodes.restartPolicy,
      restartPath,
      restart,
      'only "Never" is supported when podFailurePolicy is specified',
    );
}

export function validateJob(object: Obj, errs: RuleErrors): void {
  const s = obj(object.spec);
  const path = FieldPath.of('spec');
  validateJobSpecCommon(s, path, errs);
  // Indexed pods are named <job>-<index>, which must stay a DNS label (ValidateJob).
  const name = str(obj(object.metadata).name);
  const completions = int(s.completions);
  if (name && str(s.completionMode) === 'Indexed' && completions !== undefined && completions > 0) {
    const hostname = `${name}-${completions - 1}`;
    if (isDNS1123Label(hostname).length > 0)
      errs.invalid(
        ruleCodes.invalidName,
        FieldPath.of('metadata', 'name'),
        name,
        `will not able to create pod with invalid DNS label: ${hostname}`,
      );
  }
  // Without manualSelector the server generates the selector and the matching template
  // labels, so only a manual selector is the user's to get right.
  if (s.manualSelector === true) {
    if (!isObj(s.selector)) errs.required(ruleCodes.selector, path.child('selector'));
    else validateLabelSelector(s.selector, path.child('selector'), errs);
    validateSelectorMatchesTemplate(s.selector, s.template, errs);
  }
}

const concurrencyPolicies = ['Allow', 'Forbid', 'Replace'];

export function validateCronJob(object: Obj, errs: RuleErrors): void {
  const s = obj(object.spec);
  const path = FieldPath.of('spec');
  const schedule = str(s.schedule);
  if (!schedule) errs.required(code, path.child('schedule'));
  else {
    const problem = scheduleError(schedule);
    if (problem) errs.invalid(code, path.child('schedule'), schedule, problem);
    if (schedule.includes('TZ'))
      errs.invalid(
        code,
        path.child('schedule'),
        schedule,
        'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      );
  }
  validateNonnegative(s.startingDeadlineSeconds, path.child('startingDeadlineSeconds'), errs);
  const policy = str(s.concurrencyPolicy);
  if (!policy) errs.required(ruleCodes.unsupportedValue, path.child('concurrencyPolicy'));
  else if (!concurrencyPolicies.includes(policy))
    errs.notSupported(ruleCodes.unsupportedValue, path.child('concurrencyPolicy'), policy, concurrencyPolicies);
  const jobSpec = obj(obj(s.jobTemplate).spec);
  const jobPath = path.child('jobTemplate', 'spec');
  validateJobSpecCommon(jobSpec, jobPath, errs);
  if (isObj(jobSpec.selector))
    errs.invalid(ruleCodes.selector, jobPath.child('selector'), jobSpec.selector, '`selector` will be auto-generated');
  if (obj(obj(s.jobTemplate).spec).manualSelector === true)
    errs.notSupported(code, jobPath.child('manualSelector'), true, ['nil', 'false']);
  for (const field of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'])
    validateNonnegative(s[field], path.child(field), errs);
  // ValidateCronJobCreate, after the spec: the controller appends an 11-character suffix to name its Jobs.
  const name = str(obj(object.metadata).name);
  if (name.length > 52)
    errs.invalid(ruleCodes.invalidName, FieldPath.of('metadata', 'name'), name, 'must be no more than 52 characters');
}

const descriptors = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const fieldBounds: [number, number, Record<string, number>?][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12, { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 }],
  [0, 6, { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }],
];
const integer = /^[0-9]+$/;

/** The first error robfig/cron's standard parser reports, or undefined when the schedule parses. */
export function scheduleError(text: string): string | undefined {
  // The parser accepts a leading TZ= or CRON_TZ= zone; the validator rejects it separately.
  const schedule = text.replace(/^(CRON_)?TZ=\S*\s+/, '');
  if (schedule.startsWith('@')) {
    if (descriptors.has(schedule) || schedule.startsWith('@every ')) return undefined;
    return `unrecognized descriptor: ${schedule}`;
  }
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    const [min, max, names] = fieldBounds[i];
    for (const expr of fields[i].split(',')) {
      const [range, step] = expr.split('/');
      if (step !== undefined && !integer.test(step))
        return `failed to parse int from ${step}: strconv.Atoi: parsing ${JSON.stringify(step)}: invalid syntax`;
      if (range === '*' || range === '?') continue;
      const ends = range.split('-');
      if (ends.length > 2) return `too many hyphens: ${expr}`;
      const values: number[] = [];
      for (const end of ends) {
        const named = names?.[end.toLowerCase()];
        if (named !== undefined) values.push(named);
        else if (integer.test(end)) values.push(Number(end));
        else return `failed to parse int from ${end}: strconv.Atoi: parsing ${JSON.stringify(end)}: invalid syntax`;
      }
      const start = values[0];
      const stop = values[values.length - 1];
      if (start < min) return `beginning of range (${start}) below minimum (${min}): ${expr}`;
      if (stop > max) return `end of range (${stop}) above maximum (${max}): ${expr}`;
      if (start > stop) return `beginning of range (${start}) beyond end of range (${stop}): ${expr}`;
    }
  }
  return undefined;
}
