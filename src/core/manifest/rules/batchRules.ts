// batch/v1 Job and CronJob, mirroring k8s/pkg/apis/batch/validation/validation.go
// (ValidateJobSpec, validateJobSpec, ValidateCronJobSpec, ValidateJobTemplateSpec) and the
// schedule parser it calls (github.com/robfig/cron/v3 ParseStandard), whose error text the
// apiserver returns as-is.
import { validateSelectorMatchesTemplate, validateNonnegative } from './workloadRules';
import { validateLabelSelector } from './objectMetaRules';
import { isObj, obj, str, type Obj } from './plainValue';
import { validatePodTemplate } from './podSpecRules';
import { ruleCodes } from './ruleCodes';
import { FieldPath, type RuleErrors } from './ruleError';

const code = ruleCodes.workload;

/** validateJobSpec: counts, the pod template, and a restartPolicy of OnFailure or Never. */
function validateJobSpecCommon(s: Obj, path: FieldPath, errs: RuleErrors): void {
  for (const field of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit'])
    validateNonnegative(s[field], path.child(field), errs);
  const mode = str(s.completionMode);
  if (mode && mode !== 'NonIndexed' && mode !== 'Indexed')
    errs.notSupported(ruleCodes.unsupportedValue, path.child('completionMode'), mode, ['NonIndexed', 'Indexed']);
  if (mode === 'Indexed' && (s.completions === undefined || s.completions === null))
    errs.required(code, path.child('completions'), 'when completion mode is Indexed');
  const template = path.child('template');
  validatePodTemplate(s.template, template, errs);
  const restart = str(obj(obj(s.template).spec).restartPolicy);
  if (restart !== 'OnFailure' && restart !== 'Never')
    errs.notSupported(ruleCodes.restartPolicy, template.child('spec', 'restartPolicy'), restart, ['OnFailure', 'Never']);
}

export function validateJob(object: Obj, errs: RuleErrors): void {
  const s = obj(object.spec);
  const path = FieldPath.of('spec');
  validateJobSpecCommon(s, path, errs);
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
  const name = str(obj(object.metadata).name);
  // The CronJob controller appends an 11-character suffix to name its Jobs.
  if (name.length > 52) errs.invalid(ruleCodes.invalidName, FieldPath.of('metadata', 'name'), name, 'must be no more than 52 characters');
  const s = obj(object.spec);
  const path = FieldPath.of('spec');
  const schedule = str(s.schedule);
  if (!schedule) errs.required(code, path.child('schedule'));
  else {
    const problem = scheduleError(schedule);
    if (problem) errs.invalid(code, path.child('schedule'), schedule, problem);
  }
  validateNonnegative(s.startingDeadlineSeconds, path.child('startingDeadlineSeconds'), errs);
  const policy = str(s.concurrencyPolicy);
  if (!policy) errs.required(ruleCodes.unsupportedValue, path.child('concurrencyPolicy'));
  else if (!concurrencyPolicies.includes(policy)) errs.notSupported(ruleCodes.unsupportedValue, path.child('concurrencyPolicy'), policy, concurrencyPolicies);
  const jobSpec = obj(obj(s.jobTemplate).spec);
  const jobPath = path.child('jobTemplate', 'spec');
  validateJobSpecCommon(jobSpec, jobPath, errs);
  if (isObj(jobSpec.selector)) errs.invalid(ruleCodes.selector, jobPath.child('selector'), jobSpec.selector, '`selector` will be auto-generated');
  for (const field of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) validateNonnegative(s[field], path.child(field), errs);
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
export function scheduleError(schedule: string): string | undefined {
  if (/^(CRON_)?TZ=/.test(schedule) || schedule.includes('TZ=')) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
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
      if (step !== undefined && !integer.test(step)) return `failed to parse int from ${step}: strconv.Atoi: parsing ${JSON.stringify(step)}: invalid syntax`;
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

