//! Template functions: Go's builtins ([`builtins`]), sprig's `TxtFuncMap`
//! less `env` and `expandenv` ([`sprig`]), and the controller's `getPort`.
//! Each declares its Go parameter types, which decide how the executor
//! converts arguments and what it says when one does not fit.

use std::collections::HashMap;
use std::rc::Rc;

use super::value::{Elem, IntKind, Value};
use super::{Limit, Limits};

pub mod builtins;
pub mod sprig;

/// A Go parameter type, as far as argument conversion cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `interface {}`: anything; no value becomes nil.
    Any,
    /// `reflect.Value` (the builtins): anything, no value included.
    Reflect,
    Str,
    Int,
    Int64,
    Float,
    Bool,
    /// `[]interface {}`
    List,
    /// `map[string]interface {}`
    Map,
}

impl Ty {
    pub fn go_name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::Reflect => "reflect.Value",
            Ty::Str => "string",
            Ty::Int => "int",
            Ty::Int64 => "int64",
            Ty::Float => "float64",
            Ty::Bool => "bool",
            Ty::List => "[]interface {}",
            Ty::Map => "map[string]interface {}",
        }
    }

    /// Whether a value of `v`'s type is assignable to this type.
    pub fn accepts(self, v: &Value) -> bool {
        match self {
            Ty::Any | Ty::Reflect => true,
            Ty::Str => matches!(v, Value::String(_)),
            Ty::Int => matches!(v, Value::Int(_, IntKind::Int)),
            Ty::Int64 => matches!(v, Value::Int(_, IntKind::Int64)),
            Ty::Float => matches!(v, Value::Float(_)),
            Ty::Bool => matches!(v, Value::Bool(_)),
            Ty::List => matches!(v, Value::List(_, Elem::Any)),
            Ty::Map => matches!(v, Value::Map(_, Elem::Any)),
        }
    }
}

/// How a function call failed.
#[derive(Clone, Debug, PartialEq)]
pub enum FuncError {
    /// Go's error text (or its panic's), after `error calling NAME: `.
    Go(String),
    /// A result over a budget.
    Budget(Limit),
    /// A function msvc does not run (it reads the clock, randomness or the
    /// network), with why.
    Refused(String),
}

impl From<String> for FuncError {
    fn from(s: String) -> Self {
        FuncError::Go(s)
    }
}

impl From<&str> for FuncError {
    fn from(s: &str) -> Self {
        FuncError::Go(s.to_string())
    }
}

pub type FResult = Result<Value, FuncError>;

/// What a function may consult while it runs: the budgets.
pub struct Ctx<'a> {
    pub limits: &'a Limits,
}

impl Ctx<'_> {
    /// Refuses a result of `len` bytes over the output budget, before it is
    /// built.
    pub fn check_size(&self, len: usize) -> Result<(), FuncError> {
        if len > self.limits.output {
            return Err(FuncError::Budget(Limit::Output(self.limits.output)));
        }
        Ok(())
    }

    /// Refuses a list of `n` items over the iteration budget.
    pub fn check_items(&self, n: usize) -> Result<(), FuncError> {
        if n as u64 > self.limits.iterations {
            return Err(FuncError::Budget(Limit::Iterations(self.limits.iterations)));
        }
        Ok(())
    }
}

pub type Imp = dyn Fn(&Ctx, &[Value]) -> FResult;

/// One template function: its Go signature and its body.
pub struct Func {
    pub params: Vec<Ty>,
    /// The element type of a final `...T` parameter.
    pub variadic: Option<Ty>,
    pub imp: Rc<Imp>,
}

impl Func {
    pub fn new(
        params: &[Ty],
        variadic: Option<Ty>,
        imp: impl Fn(&Ctx, &[Value]) -> FResult + 'static,
    ) -> Func {
        Func {
            params: params.to_vec(),
            variadic,
            imp: Rc::new(imp),
        }
    }
}

impl std::fmt::Debug for Func {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Func")
            .field("params", &self.params)
            .field("variadic", &self.variadic)
            .finish()
    }
}

/// A set of named functions.
pub type FuncMap = HashMap<String, Rc<Func>>;

/// Registers `f` as `name` in `map`.
pub fn add(
    map: &mut FuncMap,
    name: &str,
    params: &[Ty],
    variadic: Option<Ty>,
    imp: impl Fn(&Ctx, &[Value]) -> FResult + 'static,
) {
    map.insert(name.to_string(), Rc::new(Func::new(params, variadic, imp)));
}

/// The controller's `getPort NAME`: the ModelService's port of that name,
/// -1 if it has none (as `int32`).
pub fn get_port(map: &mut FuncMap, ports: HashMap<String, i32>) {
    add(map, "getPort", &[Ty::Str], None, move |_, a| {
        let name = a[0].as_str().unwrap_or_default();
        Ok(Value::Int(
            i64::from(*ports.get(name).unwrap_or(&-1)),
            IntKind::Int32,
        ))
    });
}

/// Go's builtins and sprig's functions, as Helm and the controller
/// register them (less `env` and `expandenv`).
pub fn standard() -> FuncMap {
    let mut m = FuncMap::new();
    builtins::register(&mut m);
    sprig::register(&mut m);
    m
}
