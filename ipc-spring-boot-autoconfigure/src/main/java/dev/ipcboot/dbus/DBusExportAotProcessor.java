package dev.ipcboot.dbus;

import java.util.Arrays;

import org.freedesktop.dbus.interfaces.DBusInterface;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Runtime hints for the D-Bus interfaces of the application's beans: those a
 * {@link DBusExport} bean implements (reflection on their methods, the proxies that wrap
 * the export, signals and structs), and those declared inside any bean class, which is
 * where an application keeps the interfaces it calls through {@link DBusTemplate#remote}
 * (a proxy of each). An interface used only as a remote proxy and declared elsewhere
 * needs its own hint: {@code hints.proxies().registerJdkProxy(type)} in a
 * {@code RuntimeHintsRegistrar}.
 */
class DBusExportAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
		boolean exported = isExported(registeredBean, beanClass);
		Class<?>[] nested = nestedInterfaces(beanClass);
		if (!exported && nested.length == 0) {
			return null;
		}
		return (generationContext, code) -> {
			RuntimeHints hints = generationContext.getRuntimeHints();
			if (exported) {
				Class<?>[] interfaces = DBusRuntimeHints.exportedInterfaces(beanClass);
				hints.proxies().registerJdkProxy(interfaces);
				for (Class<?> type : interfaces) {
					DBusRuntimeHints.registerInterface(hints, type);
				}
			}
			for (Class<?> type : nested) {
				DBusRuntimeHints.registerInterface(hints, type);
			}
		};
	}

	private static boolean isExported(RegisteredBean registeredBean, Class<?> beanClass) {
		if (!DBusInterface.class.isAssignableFrom(beanClass)
				&& !DBusInterface.class.isAssignableFrom(registeredBean.getBeanType().toClass())) {
			return false;
		}
		return AnnotatedElementUtils.hasAnnotation(beanClass, DBusExport.class);
	}

	private static Class<?>[] nestedInterfaces(Class<?> beanClass) {
		Class<?>[] nested;
		try {
			nested = beanClass.getDeclaredClasses();
		}
		catch (LinkageError ex) {
			// a nested class needs an optional library that is absent (Spring's own beans
			// have such classes); it cannot be a D-Bus interface the application uses
			return new Class<?>[0];
		}
		return Arrays.stream(nested)
			.filter((type) -> type.isInterface() && DBusInterface.class.isAssignableFrom(type))
			.toArray(Class<?>[]::new);
	}

}
