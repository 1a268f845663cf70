package dev.tend.governor;

import dev.tend.kv.NotFoundException;

/** No governor of that name. */
public class UnknownGovernorException extends NotFoundException {

    private final String governor;

    public UnknownGovernorException(String governor) {
        super("unknown governor " + governor);
        this.governor = governor;
    }

    public String governor() {
        return governor;
    }
}
