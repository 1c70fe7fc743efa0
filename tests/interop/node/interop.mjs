// A client that is not ours: Node's @grpc/grpc-js loads zairyu-lab's .proto
// files at run time and talks to a running zairyu-emulator. It checks that the
// contracts work outside C++: plain calls, and rich errors decoded from the
// grpc-status-details-bin trailer as google.rpc.Status → ErrorInfo /
// BadRequest. Usage: node interop.mjs <port> <protos dir>
import assert from 'node:assert/strict';
import path from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

const [port, protosDir] = process.argv.slice(2);
if (!port || !protosDir) {
  console.error('usage: node interop.mjs <port> <protos dir>');
  process.exit(2);
}

const definition = protoLoader.loadSync(
  ['zairyu/online/v1/online.proto', 'zairyu/emulator/v1/control.proto'],
  { includeDirs: [protosDir], keepCase: false, longs: String, enums: String, defaults: true });
const loaded = grpc.loadPackageDefinition(definition);
const address = `127.0.0.1:${port}`;
const online = new loaded.zairyu.online.v1.OnlineSystem(address, grpc.credentials.createInsecure());
const control = new loaded.zairyu.emulator.v1.EmulatorControl(address, grpc.credentials.createInsecure());

// google.rpc.Status and the detail messages, for the trailer.
const rpc = new protobuf.Root();
rpc.resolvePath = (_origin, target) => path.join(protosDir, target);
rpc.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto']);
const Status = rpc.lookupType('google.rpc.Status');
const details = {
  'type.googleapis.com/google.rpc.ErrorInfo': rpc.lookupType('google.rpc.ErrorInfo'),
  'type.googleapis.com/google.rpc.BadRequest': rpc.lookupType('google.rpc.BadRequest'),
};

function call(client, method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

// Calls and expects a failure; returns {code, errorInfo, badRequest}.
async function failing(client, method, request) {
  try {
    await call(client, method, request);
  } catch (error) {
    const [bin] = error.metadata.get('grpc-status-details-bin');
    assert.ok(bin, `${method}: no grpc-status-details-bin trailer`);
    const status = Status.decode(bin);
    assert.equal(status.code, error.code);
    const out = { code: error.code };
    for (const any of status.details) {
      const type = details[any.type_url ?? any.typeUrl];
      if (type) out[type.name === 'ErrorInfo' ? 'errorInfo' : 'badRequest'] = type.decode(any.value);
    }
    return out;
  }
  assert.fail(`${method} succeeded, expected a failure`);
}

const time = await call(control, 'GetTime', {});
assert.equal(time.jst, '2026-01-01T09:00:00+09:00');
console.log(`GetTime: ${time.jst}`);

const challenge = await call(online, 'GetRegistrationChallenge', {});
assert.equal(challenge.challenge.length, 32);
console.log(`GetRegistrationChallenge: ${challenge.challenge.length} bytes`);

const malformed = await failing(online, 'RegisterUser', { email: 'x@example.com' });
assert.equal(malformed.code, grpc.status.INVALID_ARGUMENT);
assert.equal(malformed.errorInfo.reason, 'REQUEST_INVALID');
assert.equal(malformed.errorInfo.domain, 'zairyu-lab');
assert.equal(malformed.badRequest.fieldViolations[0].field, 'category');
console.log(`RegisterUser without category: ${malformed.errorInfo.reason} on ${malformed.badRequest.fieldViolations[0].field}`);

await call(control, 'AddCidr', { entry: { cidr: '127.0.0.0/8', country: 'US' } });
const abroad = await failing(online, 'GetRegistrationChallenge', {});
assert.equal(abroad.code, grpc.status.PERMISSION_DENIED);
assert.equal(abroad.errorInfo.reason, 'ACCESS_FROM_OUTSIDE_JAPAN');
assert.equal(abroad.errorInfo.metadata.rule_id, 'RAS-ACC-001');
console.log(`from abroad: ${abroad.errorInfo.reason} (${abroad.errorInfo.metadata.rule_id})`);

online.close();
control.close();
console.log('interop: ok');
