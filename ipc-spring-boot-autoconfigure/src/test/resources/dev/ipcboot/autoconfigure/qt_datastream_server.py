"""A Qt QLocalServer that frames with QDataStream << QByteArray and answers each frame
with b"qt:" + the frame: the peer a Qt application would be. Prints "listening" once
it accepts connections. Usage: qt_datastream_server.py SOCKET_PATH"""
import sys

from PyQt5.QtCore import QByteArray, QCoreApplication, QDataStream
from PyQt5.QtNetwork import QLocalServer

app = QCoreApplication(sys.argv)
server = QLocalServer()
QLocalServer.removeServer(sys.argv[1])
if not server.listen(sys.argv[1]):
    print("cannot listen: " + server.errorString(), flush=True)
    sys.exit(1)


def serve():
    socket = server.nextPendingConnection()

    def ready():
        while True:
            incoming = QDataStream(socket)
            incoming.startTransaction()
            frame = QByteArray()
            incoming >> frame
            if not incoming.commitTransaction():
                return
            outgoing = QDataStream(socket)
            outgoing << QByteArray(b"qt:" + bytes(frame))
            socket.flush()

    socket.readyRead.connect(ready)
    socket.disconnected.connect(socket.deleteLater)


server.newConnection.connect(serve)
print("listening", flush=True)
sys.exit(app.exec_())
