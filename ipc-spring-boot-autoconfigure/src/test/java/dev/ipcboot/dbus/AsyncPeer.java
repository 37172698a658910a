package dev.ipcboot.dbus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;

/**
 * The Python peer's interface with methods that return futures.
 */
@DBusInterfaceName("dev.ipcboot.test.Peer")
public interface AsyncPeer extends DBusInterface {

	CompletableFuture<String> Echo(String text);

	CompletionStage<Integer> Add(int a, int b);

	CompletableFuture<Void> Stall(UInt32 millis);

	CompletableFuture<Void> Refuse(String why);

}
