package dev.ipcboot.dbus;

import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * Which signals a subscription receives: a D-Bus match rule. The interface is required;
 * member, path, sender and argument matches narrow it further. One subscription to
 * several members of an interface keeps their signals in order, two subscriptions do not.
 *
 * @param interfaceName interface of the signal, for example
 * {@code org.freedesktop.login1.Manager}
 * @param member name of the signal, for example {@code PrepareForShutdown}, or
 * {@code null} for every signal of the interface
 * @param path object path the signal must come from, or {@code null} for any
 * @param sender bus name (unique or well-known) of the sender, or {@code null} for any
 * @param args string arguments the signal must carry, by argument index (0 to 63)
 */
public record DBusSignalRule(String interfaceName, @Nullable String member, @Nullable String path,
		@Nullable String sender, Map<Integer, String> args) {

	/**
	 * Create a rule, copying the argument matches.
	 * @param interfaceName interface of the signal
	 * @param member name of the signal, or {@code null} for every signal of the interface
	 * @param path object path, or {@code null}
	 * @param sender sender bus name, or {@code null}
	 * @param args argument matches by index
	 */
	public DBusSignalRule {
		args = Map.copyOf(new TreeMap<>(args));
	}

	/**
	 * A rule for every signal with this interface and member.
	 * @param interfaceName interface of the signal
	 * @param member name of the signal
	 * @return the rule
	 */
	public static DBusSignalRule of(String interfaceName, String member) {
		return new DBusSignalRule(interfaceName, member, null, null, Map.of());
	}

	/**
	 * A rule for every signal of this interface, whatever its member: the one way to
	 * receive, say, {@code Lock} and {@code Unlock} in the order they were sent.
	 * @param interfaceName interface of the signals
	 * @return the rule
	 */
	public static DBusSignalRule ofInterface(String interfaceName) {
		return new DBusSignalRule(interfaceName, null, null, null, Map.of());
	}

	/**
	 * The same rule restricted to one object path.
	 * @param path the object path
	 * @return a new rule
	 */
	public DBusSignalRule withPath(String path) {
		return new DBusSignalRule(this.interfaceName, this.member, path, this.sender, this.args);
	}

	/**
	 * The same rule restricted to one sender.
	 * @param sender the sender's bus name
	 * @return a new rule
	 */
	public DBusSignalRule withSender(String sender) {
		return new DBusSignalRule(this.interfaceName, this.member, this.path, sender, this.args);
	}

	@Override
	public String toString() {
		StringBuilder rule = new StringBuilder("type='signal',interface='").append(this.interfaceName).append('\'');
		if (this.member != null) {
			rule.append(",member='").append(this.member).append('\'');
		}
		if (this.path != null) {
			rule.append(",path='").append(this.path).append('\'');
		}
		if (this.sender != null) {
			rule.append(",sender='").append(this.sender).append('\'');
		}
		new TreeMap<>(this.args)
			.forEach((index, value) -> rule.append(",arg").append(index).append("='").append(value).append('\''));
		return rule.toString();
	}

}
