package dev.ipcboot.listener;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NativeDetector;
import org.springframework.util.ClassUtils;

/**
 * Calls one listener method of one bean through a class generated once by
 * {@link LambdaMetafactory} (as the compiler does for a method reference), instead of
 * {@link Method#invoke}: a plain virtual call that the JIT can inline, without an
 * argument array, for methods of up to {@value #MAX_ARITY} parameters. The arguments are
 * passed as resolved, so the caller checks first that each fits its parameter
 * ({@link #fits}); whatever the method throws propagates unchanged, checked exceptions
 * included. Where a class cannot be generated (a static method, more parameters, a bean
 * class in another module that is not open to the starter, a native image), there is no
 * invoker and the caller keeps reflection.
 */
final class ListenerInvoker {

	private static final Log logger = LogFactory.getLog(ListenerInvoker.class);

	/** The most parameters a generated invoker takes. */
	static final int MAX_ARITY = 2;

	private final int arity;

	private final boolean returnsVoid;

	/** Per parameter, the type an argument must be an instance of (primitives boxed). */
	private final Class<?>[] types;

	/** Per parameter, whether it is primitive: {@code null} does not fit it. */
	private final boolean[] primitive;

	private final Object function;

	private ListenerInvoker(Method method, Object function) {
		this.arity = method.getParameterCount();
		this.returnsVoid = method.getReturnType() == void.class;
		Class<?>[] parameterTypes = method.getParameterTypes();
		this.types = new Class<?>[parameterTypes.length];
		this.primitive = new boolean[parameterTypes.length];
		for (int i = 0; i < parameterTypes.length; i++) {
			this.primitive[i] = parameterTypes[i].isPrimitive();
			this.types[i] = ClassUtils.resolvePrimitiveIfNecessary(parameterTypes[i]);
		}
		this.function = function;
	}

	/**
	 * An invoker of the method on the bean, or {@code null} where reflection stays.
	 * @param bean the bean (a proxy is called like the bean: its override runs)
	 * @param method the method as reflection would call it (the bridged method)
	 * @return the invoker, or {@code null}
	 */
	static @Nullable ListenerInvoker create(Object bean, Method method) {
		int arity = method.getParameterCount();
		if (arity > MAX_ARITY || Modifier.isStatic(method.getModifiers()) || NativeDetector.inNativeImage()
				|| !method.getDeclaringClass().isInstance(bean)) {
			return null;
		}
		try {
			return new ListenerInvoker(method, generate(bean, method));
		}
		catch (Throwable ex) {
			// LambdaConversionException, IllegalAccessException (a module that is not
			// open),
			// LinkageError: reflection calls it as before
			if (logger.isDebugEnabled()) {
				logger.debug("Listener method " + method + " is called through reflection: " + ex);
			}
			return null;
		}
	}

	private static Object generate(Object bean, Method method) throws Throwable {
		Class<?> owner = method.getDeclaringClass();
		MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
		MethodHandle target = lookup.unreflect(method);
		boolean returnsVoid = method.getReturnType() == void.class;
		Class<?>[] parameters = method.getParameterTypes();
		Class<?>[] boxed = new Class<?>[parameters.length];
		for (int i = 0; i < parameters.length; i++) {
			boxed[i] = ClassUtils.resolvePrimitiveIfNecessary(parameters[i]);
		}
		Class<?> returned = returnsVoid ? void.class : ClassUtils.resolvePrimitiveIfNecessary(method.getReturnType());
		Class<?> erased = returnsVoid ? void.class : Object.class;
		Class<?> type;
		String name;
		switch (parameters.length) {
			case 0 -> {
				type = returnsVoid ? Runnable.class : Supplier.class;
				name = returnsVoid ? "run" : "get";
			}
			case 1 -> {
				type = returnsVoid ? Consumer.class : Function.class;
				name = returnsVoid ? "accept" : "apply";
			}
			default -> {
				type = returnsVoid ? BiConsumer.class : BiFunction.class;
				name = returnsVoid ? "accept" : "apply";
			}
		}
		Class<?>[] objects = new Class<?>[parameters.length];
		java.util.Arrays.fill(objects, Object.class);
		CallSite site = LambdaMetafactory.metafactory(lookup, name, MethodType.methodType(type, owner),
				MethodType.methodType(erased, objects), target, MethodType.methodType(returned, boxed));
		return site.getTarget().invoke(bean);
	}

	/**
	 * Whether an argument can be passed to a parameter as it is; if not, the caller
	 * leaves the call to reflection, which fails as it always did.
	 * @param index the parameter's index
	 * @param argument the argument
	 * @return whether it fits
	 */
	boolean fits(int index, @Nullable Object argument) {
		return (argument != null) ? this.types[index].isInstance(argument) : !this.primitive[index];
	}

	int arity() {
		return this.arity;
	}

	@SuppressWarnings("unchecked")
	@Nullable Object invoke() {
		if (this.returnsVoid) {
			((Runnable) this.function).run();
			return null;
		}
		return ((Supplier<Object>) this.function).get();
	}

	@SuppressWarnings("unchecked")
	@Nullable Object invoke(@Nullable Object argument) {
		if (this.returnsVoid) {
			((Consumer<Object>) this.function).accept(argument);
			return null;
		}
		return ((Function<Object, Object>) this.function).apply(argument);
	}

	@SuppressWarnings("unchecked")
	@Nullable Object invoke(@Nullable Object first, @Nullable Object second) {
		if (this.returnsVoid) {
			((BiConsumer<Object, Object>) this.function).accept(first, second);
			return null;
		}
		return ((BiFunction<Object, Object, Object>) this.function).apply(first, second);
	}

}
