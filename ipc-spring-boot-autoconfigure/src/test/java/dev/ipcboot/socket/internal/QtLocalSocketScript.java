package dev.ipcboot.socket.internal;

/**
 * Python scripts that talk to a server as a Qt program does: PyQt5's
 * {@code QLocalSocket}, connected to the path given as the script's first argument, with
 * a {@code QDataStream} named {@code out} on it (Qt 5.0 format, so a {@code QByteArray}
 * is a 4-byte big-endian length and its bytes: the length-prefixed framing).
 */
final class QtLocalSocketScript {

	private static final String CONNECTED = """
			import sys
			from PyQt5.QtCore import QCoreApplication, QByteArray, QDataStream
			from PyQt5.QtNetwork import QLocalSocket
			app = QCoreApplication(sys.argv)
			socket = QLocalSocket()
			socket.connectToServer(sys.argv[1])
			if not socket.waitForConnected(5000):
			    sys.exit("connect: " + socket.errorString())
			out = QDataStream(socket)
			out.setVersion(QDataStream.Qt_5_0)
			""";

	private QtLocalSocketScript() {
	}

	/**
	 * A script that connects, then runs the body.
	 * @param body Python at top level, using {@code socket} and {@code out}
	 * @return the whole script
	 */
	static String connectedThen(String body) {
		return CONNECTED + body;
	}

}
