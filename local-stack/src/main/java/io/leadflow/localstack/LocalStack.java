package io.leadflow.localstack;

/** Placeholder entry point; the local-stack issue fills it in. */
public final class LocalStack {

    private LocalStack() {
    }

    public static void main(String[] args) {
        System.out.println("Leadflow local stack: not yet assembled.");
    }
}
