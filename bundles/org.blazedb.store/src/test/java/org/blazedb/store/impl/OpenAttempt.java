package org.blazedb.store.impl;

import java.nio.file.Path;
import org.blazedb.api.BlazeException;

/**
 * Run in a child JVM by {@link FolderLockTest}: opens the store in the folder given as the argument,
 * as another process would, and prints "OPENED" (then closes it) or the code of the error.
 */
public final class OpenAttempt {
    private OpenAttempt() {
    }

    public static void main(String[] args) {
        try {
            StoreEngine.open(StoreOptions.defaults("test", Path.of(args[0]))).close();
            System.out.println("OPENED");
        } catch (BlazeException e) {
            System.out.println(e.code());
        }
    }
}
