package dev.tend.cli.e2e;

/** {@link GovernorIT} on a nats-server: the same governors, in JetStream KV buckets. */
class NatsGovernorIT extends GovernorIT {

    @Override
    Tend.Backend backend() {
        return Tend.Backend.NATS;
    }
}
