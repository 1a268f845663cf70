package dev.tend.cli.fleet;

import picocli.CommandLine.Option;

/**
 * Where the specification lives, as the agents' manager reads it (Choria's {@code plugin.machines.bucket} and
 * {@code .key}): {@code --bucket} (default {@value #BUCKET}) and {@code --key} (default {@value #KEY}).
 */
final class SpecLocation {

    static final String BUCKET = "CHORIA_PLUGINS";
    static final String KEY = "plugins";

    @Option(names = "--bucket", paramLabel = "BUCKET", defaultValue = BUCKET,
            description = "The bucket of the specification (the agents' --machines-bucket). Default: ${DEFAULT-VALUE}.")
    String bucket;

    @Option(names = "--key", paramLabel = "KEY", defaultValue = KEY,
            description = "The specification's key (the agents' --machines-key). Default: ${DEFAULT-VALUE}.")
    String key;

    @Override
    public String toString() {
        return bucket + " > " + key;
    }
}
