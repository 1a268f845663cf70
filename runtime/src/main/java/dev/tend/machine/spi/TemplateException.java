package dev.tend.machine.spi;

/** A template that does not parse or fails to render; the message says where and why, in one line. */
public class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message);
    }
}
