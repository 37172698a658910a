package dev.ipcboot.socket;

import java.util.Locale;

/**
 * How messages are delimited on a socket stream, shared by local and TCP servers and
 * clients. The engine's frame codec writes and reads Spring Integration's format for that
 * framing without allocating anything proportional to {@code max-message-size}.
 */
public enum Framing {

	/** Each message ends with a line feed ({@code \n}), which is not part of it. */
	LINE,

	/** Each message ends with carriage return and line feed ({@code \r\n}). */
	CRLF,

	/**
	 * Each message is a 4-byte big-endian length then that many bytes: what Qt's
	 * {@code QDataStream << QByteArray} writes.
	 */
	LENGTH_PREFIXED,

	/** Each message is framed by STX ({@code 0x02}) and ETX ({@code 0x03}). */
	STX_ETX,

	/**
	 * One message per connection: everything until the peer shuts down its output. A
	 * reply is written and then the connection closes.
	 */
	RAW;

	/**
	 * The name of this framing in configuration ({@code length-prefixed}).
	 * @return the property value
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
