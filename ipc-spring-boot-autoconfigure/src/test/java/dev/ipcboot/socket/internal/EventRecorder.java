package dev.ipcboot.socket.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.ApplicationListener;

import dev.ipcboot.IpcEvent;

/** Records every event of ours, for assertions. */
class EventRecorder implements ApplicationListener<IpcEvent> {

	final List<IpcEvent> events = new CopyOnWriteArrayList<>();

	@Override
	public void onApplicationEvent(IpcEvent event) {
		this.events.add(event);
	}

	<T extends IpcEvent> List<T> of(Class<T> type) {
		return this.events.stream().filter(type::isInstance).map(type::cast).toList();
	}

}
