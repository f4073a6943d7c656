package org.blazedb.api;

/** What an operation does to its document. */
public enum OperationKind {
    /** Replaces the whole document with the operation's fields (creating it if absent). */
    PUT,
    /** Sets the operation's fields and removes its unset fields, keeping the others. */
    PATCH,
    /** Deletes the document, leaving a tombstone. */
    DELETE
}
