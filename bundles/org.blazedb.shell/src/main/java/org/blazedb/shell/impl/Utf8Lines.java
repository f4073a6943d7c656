package org.blazedb.shell.impl;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a UTF-8 file, each decoded strictly on its own. A {@code BufferedReader} decodes
 * thousands of characters ahead: invalid UTF-8 a few lines further on fails the line being read,
 * so the error could not name the right line. Here a line is the bytes up to {@code \n} (a
 * {@code \r} before it is dropped), and invalid UTF-8 fails exactly the line that holds it. A line
 * longer than the reader's limit fails before it is held in memory whole: a file without line ends
 * would otherwise be read into one array until the heap ran out.
 */
final class Utf8Lines implements Closeable {
    private static final int CHUNK = 1 << 16;

    private final InputStream in;
    private final int maxLineBytes;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[CHUNK];
    private int chunkStart;
    private int chunkEnd;
    private byte[] line = new byte[CHUNK];
    private long bytesRead;

    /**
     * @param in           the file's bytes; closed by {@link #close()}
     * @param maxLineBytes the longest line taken, in bytes without its line end
     */
    Utf8Lines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * @return the next line without its line end, null at the end of the input
     * @throws CharacterCodingException if the line is not valid UTF-8 (the next call reads the line after it)
     * @throws LineTooLongException if the line is longer than the limit (the reader is then left inside it)
     * @throws IOException if reading fails
     */
    String next() throws IOException {
        int length = 0;
        long consumed = 0; // counted in bytesRead only once the line is returned
        boolean ended = false;
        while (!ended) {
            if (chunkStart == chunkEnd && !fill()) {
                if (length == 0) {
                    return null;
                }
                break;
            }
            int end = chunkStart;
            while (end < chunkEnd && chunk[end] != '\n') {
                end++;
            }
            ended = end < chunkEnd;
            int n = end - chunkStart;
            if ((long) length + n > maxLineBytes + 1L) { // + 1: the line's \r, dropped below
                throw new LineTooLongException(maxLineBytes);
            }
            if (length + n > line.length) {
                line = Arrays.copyOf(line, (int) Math.min(maxLineBytes + 1L, Math.max(line.length * 2L, length + n)));
            }
            System.arraycopy(chunk, chunkStart, line, length, n);
            length += n;
            chunkStart = ended ? end + 1 : end;
            consumed += n + (ended ? 1 : 0);
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (length > maxLineBytes) {
            throw new LineTooLongException(maxLineBytes);
        }
        bytesRead += consumed;
        return decoder.decode(ByteBuffer.wrap(line, 0, length)).toString();
    }

    /** @return the bytes of the lines returned so far, line ends included */
    long bytesRead() {
        return bytesRead;
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk);
        chunkStart = 0;
        chunkEnd = Math.max(0, n);
        return n > 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** A line over the reader's limit. */
    static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException(int maxLineBytes) {
            super(String.format("longer than %,d bytes", maxLineBytes));
        }
    }
}
