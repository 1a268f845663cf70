package dev.tend.watchers.plugins;

/** A specification that cannot be used; {@link #deletesData()} when the reference removes the data item for it. */
final class InvalidSpecException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean deletesData;

    InvalidSpecException(String message, boolean deletesData) {
        super(message);
        this.deletesData = deletesData;
    }

    boolean deletesData() {
        return deletesData;
    }
}
