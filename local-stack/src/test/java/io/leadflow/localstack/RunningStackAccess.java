package io.leadflow.localstack;

/** Gives tests in sub-packages the shared running stack. */
public final class RunningStackAccess {

    private RunningStackAccess() {
    }

    public static LocalStack get() {
        return RunningStack.get();
    }
}
