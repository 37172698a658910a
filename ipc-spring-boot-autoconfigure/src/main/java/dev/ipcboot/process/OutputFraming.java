package dev.ipcboot.process;

/**
 * How the output of a process is cut into messages: text lines (the default), or the
 * binary framings of the socket servers. Each message is a {@code byte[]} payload (a
 * listener may take it as {@code byte[]}, {@code ByteBuffer} or {@code String}),
 * delivered on the pump thread with the same back-pressure: while a listener works, the
 * pipe fills and the child blocks in {@code write}.
 */
public enum OutputFraming {

	/** Each message ends with a line feed, which is not part of it. */
	LINE,

	/** Each message ends with carriage return and line feed, which are not part of it. */
	CRLF,

	/**
	 * Each message is a 4-byte big-endian length then that many bytes (Qt's
	 * {@code QDataStream << QByteArray}); a length above {@code max-line-length} is
	 * skipped with a warning.
	 */
	LENGTH_PREFIXED,

	/** Each message is framed by STX ({@code 0x02}) and ETX ({@code 0x03}). */
	STX_ETX,

	/** Each message is what one read returned: raw chunks of at most 256 KiB. */
	RAW

}
