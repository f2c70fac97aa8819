// No credential reaches the output channel or a message: tokens in headers and in kubeconfig
// or JSON fields are replaced, the rest of the text is kept.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactSecrets } from '../../src/extension/redactSecrets';

test('bearer tokens and secret fields are redacted; the message around them stays', () => {
  assert.equal(
    redactSecrets('request failed: Authorization: Bearer abc.DEF-123_x= (401)'),
    'request failed: Authorization: Bearer [redacted] (401)',
  );
  assert.equal(redactSecrets('user: {token: s3cr3t, username: bob}'), 'user: {token: [redacted], username: bob}');
  assert.equal(
    redactSecrets('{"token":"abc","client-key-data":"LS0t","name":"x"}'),
    '{"token":[redacted],"client-key-data":[redacted],"name":"x"}',
  );
  assert.equal(redactSecrets('password = hunter2'), 'password = [redacted]');
});

test('text without credentials is unchanged', () => {
  const text = 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0';
  assert.equal(redactSecrets(text), text);
});
