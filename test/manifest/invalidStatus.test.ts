// statusForFieldErrors builds the 422 Status the simulated apiserver answers with; the
// rules' errors rendered per Kubernetes version.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../src/core/manifest/base/fieldError';
import { applyDefaults } from '../../src/core/manifest/base/defaults';
import { aggregateMessage, statusForFieldErrors } from '../../src/core/manifest/rules/invalidStatus';
import { objectRuleWarnings, validateObjectRules } from '../../src/core/manifest/rules/registry';

const badDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'frontend' } },
      spec: {
        restartPolicy: 'OnFailure',
        containers: [
          { name: 'app', image: 'nginx:1.27' },
          { name: 'app', image: 'envoy:1' },
        ],
      },
    },
  },
};

test('a Deployment with three mistakes gives the apiserver Status, message and causes', () => {
  const errors = validateObjectRules(applyDefaults(badDeployment), '1.35');
  const status = statusForFieldErrors('Deployment', 'apps', 'web', errors, '1.35');
  assert.equal(status.code, 422);
  assert.equal(status.status, 'Failure');
  assert.equal(status.reason, 'Invalid');
  assert.equal(
    status.message,
    'Deployment.apps "web" is invalid: [spec.template.metadata.labels: ' +
      'Invalid value: {"app":"frontend"}: `selector` does not match template `labels`, ' +
      'spec.template.spec.containers[1].name: Duplicate value: "app", ' +
      'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"]',
  );
  assert.deepEqual(status.details, {
    name: 'web',
    group: 'apps',
    kind: 'Deployment',
    causes: [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: {"app":"frontend"}: `selector` does not match template `labels`',
        field: 'spec.template.metadata.labels',
      },
      {
        reason: 'FieldValueDuplicate',
        message: 'Duplicate value: "app"',
        field: 'spec.template.spec.containers[1].name',
      },
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "OnFailure": supported values: "Always"',
        field: 'spec.template.spec.restartPolicy',
      },
    ],
  });
});

test('1.32 prints composite values in Go syntax', () => {
  const errors = validateObjectRules(applyDefaults(badDeployment), '1.32');
  assert.equal(
    fieldErrorMessage(errors[0], '1.32'),
    'spec.template.metadata.labels: Invalid value: ' +
      'map[string]string{"app":"frontend"}: `selector` does not match template `labels`',
  );
});

test('one error is printed bare, a core kind has no group, and no errors has no colon', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: '' }] },
  };
  const status = statusForFieldErrors('Pod', '', 'p', validateObjectRules(applyDefaults(pod), '1.35'));
  assert.equal(status.message, 'Pod "p" is invalid: spec.containers[0].image: Required value');
  assert.equal('group' in status.details, false);
  assert.equal(statusForFieldErrors('Pod', '', 'p', []).message, 'Pod "p" is invalid');
});

test('duplicate messages are aggregated once but every cause is kept', () => {
  assert.equal(aggregateMessage(['a', 'b', 'a']), '[a, b]');
  assert.equal(aggregateMessage(['a', 'a']), 'a');
  const error = { type: 'FieldValueRequired' as const, segments: ['spec', 'x'] };
  const status = statusForFieldErrors('Job', 'batch', 'j', [error, error]);
  assert.equal(status.message, 'Job.batch "j" is invalid: spec.x: Required value');
  assert.equal(status.details.causes.length, 2);
});

test('duplicate container ports are a warning, not an error', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'a', ports: [{ containerPort: 80 }, { containerPort: 80 }] }] },
  };
  const defaulted = applyDefaults(pod);
  assert.deepEqual(validateObjectRules(defaulted, '1.35'), []);
  assert.deepEqual(objectRuleWarnings(defaulted, '1.35'), [
    'spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]',
  ]);
});
