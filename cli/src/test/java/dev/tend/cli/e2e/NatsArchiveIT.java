package dev.tend.cli.e2e;

/** {@link ArchiveIT} with the agent and the commands on a nats-server of the test's own: {@code kv://} from NATS. */
class NatsArchiveIT extends ArchiveIT {

    @Override
    Tend.Backend backend() {
        return Tend.Backend.NATS;
    }
}
