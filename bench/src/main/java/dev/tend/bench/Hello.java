package dev.tend.bench;

/** The floor {@code bench/cli} compares {@code tend} with: a JVM that prints one line and exits. No dependencies. */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
