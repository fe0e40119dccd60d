"""Static scan of the AWS access each Lambda function's code needs, for the template contract tests.

Starting from every function and class in a function's folder, the scan follows calls into the
layer's package (``leadline``) and records:

- DynamoDB calls (any method called with ``TableName=``, ``RequestItems=`` or ``TransactItems=``,
  and ``paginate`` after ``get_paginator("query"|"scan")``), with the table and index they name;
- SQS calls (methods called with ``QueueUrl=``) and SES sends (``send_email``, ``send_raw_email``);
- Powertools ``parameters.get_parameter``/``get_secret`` and the idempotency
  ``DynamoDBPersistenceLayer``;
- environment variables read through ``os.environ`` or ``os.getenv`` with a constant name;
- every ``boto3.client``/``boto3.resource`` service name, so calls to a service this scan does
  not understand are reported instead of passing unchecked.

A table is named by a ``TableNames`` field (``dynamo.tables().leads``, or ``getattr(tables(),
name)`` with ``name`` bound to a constant by a caller) or by an environment variable. An
environment variable may reach the call through a settings object: ``settings.queue_url``, where
``settings`` is annotated with (or returned as) a project class, names what the class is built
with for ``queue_url=`` (``cls(queue_url=os.environ[...])`` in ``from_env``, for example).
Anything the scan cannot resolve is reported as a problem, so a test fails rather than trusting
it.

NOTE: calls through objects whose type the scan cannot see (a client stored on ``self``, a
function passed around as a value and called elsewhere) are only followed when the callee is a
project function or class referenced by name in reached code.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# IAM action names of the DynamoDB calls the scan recognises, keyed by boto3 method name.
DYNAMODB_OPERATIONS = {
    "get_item": "GetItem",
    "put_item": "PutItem",
    "update_item": "UpdateItem",
    "delete_item": "DeleteItem",
    "query": "Query",
    "scan": "Scan",
    "batch_get_item": "BatchGetItem",
    "batch_write_item": "BatchWriteItem",
    "describe_table": "DescribeTable",
}
TRANSACT_ITEM_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}
SQS_OPERATIONS = {
    "send_message": "SendMessage",
    "send_message_batch": "SendMessage",
    "receive_message": "ReceiveMessage",
    "delete_message": "DeleteMessage",
    "delete_message_batch": "DeleteMessage",
    "change_message_visibility": "ChangeMessageVisibility",
    "get_queue_attributes": "GetQueueAttributes",
}
POWERTOOLS_PARAMETERS = "aws_lambda_powertools.utilities.parameters"
PARAMETER_GETTERS = {
    f"{POWERTOOLS_PARAMETERS}.get_parameter": "ssm:GetParameter",
    f"{POWERTOOLS_PARAMETERS}.get_parameters": "ssm:GetParametersByPath",
    f"{POWERTOOLS_PARAMETERS}.get_secret": "secretsmanager:GetSecretValue",
}
IDEMPOTENCY_LAYERS = {
    "aws_lambda_powertools.utilities.idempotency.DynamoDBPersistenceLayer",
    "aws_lambda_powertools.utilities.idempotency.persistence.dynamodb.DynamoDBPersistenceLayer",
}
# The calls DynamoDBPersistenceLayer makes (aws-lambda-powertools 3.37.0, persistence/dynamodb.py).
IDEMPOTENCY_ACTIONS = ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")
UNDERSTOOD_SERVICES = {"dynamodb", "sqs", "ses", "sesv2", "ssm", "secretsmanager"}
# Calls that return a resource of the local stack. They run only in local mode, as the right
# operand of ``or`` after the deployed setting, which the code requires outside local mode.
LOCAL_MODE_CALLS = {"leadline.storage.lead_queue.local_queue_url"}
# Keys of a batch response that retry part of the request, so they name no other table.
BATCH_RETRY_KEYS = {"UnprocessedKeys", "UnprocessedItems"}


@dataclass(frozen=True)
class Field:
    """A table named by a ``TableNames`` field, such as ``leads``."""

    name: str


@dataclass(frozen=True)
class Env:
    """A resource named by an environment variable."""

    variable: str


@dataclass(frozen=True)
class Const:
    value: str


@dataclass(frozen=True)
class Param:
    """A parameter of the function being scanned, bound by its callers."""

    name: str


@dataclass(frozen=True)
class Unknown:
    """A value the scan cannot follow, such as a loop variable passed as a table name."""


Ref = Field | Env | Const | Param | Unknown


@dataclass(frozen=True)
class Access:
    """One IAM action the code needs: on a table (and index), an env-named resource or SES."""

    action: str
    target: Field | Env | None
    index: str | None
    where: str


@dataclass
class ScanResult:
    accesses: set[Access] = field(default_factory=set)
    env_reads: dict[str, str] = field(default_factory=dict)
    services: dict[str, str] = field(default_factory=dict)
    metrics: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    imports: dict[str, str]
    constants: dict[str, str]


@dataclass
class Definition:
    qualname: str
    module: Module
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Module
    parameters: list[str]


def module_files(root: Path, prefix: str = "") -> Iterator[tuple[str, Path]]:
    """Yield (module name, path) for every .py file under ``root``."""
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts:
            yield prefix + ".".join(parts), path


class CodeIndex:
    """Every module, function and class of a function's folder plus the layer's packages."""

    def __init__(self, layer_root: Path, function_dir: Path) -> None:
        self.modules: dict[str, Module] = {}
        self.definitions: dict[str, Definition] = {}
        self.classes: dict[str, list[str]] = {}
        self.handler_modules: list[str] = []
        for name, path in module_files(layer_root):
            self._add_module(name, path)
        for name, path in module_files(function_dir):
            self._add_module(name, path)
            self.handler_modules.append(name)

    def _add_module(self, name: str, path: Path) -> None:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        module = Module(name, path, tree, collect_imports(tree, name, is_package), collect_constants(tree))
        self.modules[name] = module
        self.definitions[f"{name}.<module>"] = Definition(f"{name}.<module>", module, tree, [])
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self._add_definition(f"{name}.{node.name}", module, node)
            elif isinstance(node, ast.ClassDef):
                methods = []
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        qualname = f"{name}.{node.name}.{item.name}"
                        self._add_definition(qualname, module, item)
                        methods.append(qualname)
                self.classes[f"{name}.{node.name}"] = methods

    def _add_definition(
        self, qualname: str, module: Module, node: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> None:
        arguments = node.args
        names = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
        self.definitions[qualname] = Definition(qualname, module, node, names)

    def resolve_name(self, module: Module, expression: ast.expr) -> str | None:
        """Return the qualified name an expression such as ``leads.create_lead`` refers to."""
        if isinstance(expression, ast.Name):
            if expression.id in module.imports:
                return self.canonical(module.imports[expression.id])
            local = f"{module.name}.{expression.id}"
            if local in self.definitions or local in self.classes:
                return local
            return None
        if isinstance(expression, ast.Attribute):
            base = self.resolve_name(module, expression.value)
            return self.canonical(f"{base}.{expression.attr}") if base else None
        return None

    def annotated_class(self, module: Module, annotation: ast.expr | None) -> str | None:
        """Return the project class an annotation names (``Cls`` or ``"Cls"``), or None."""
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
        if annotation is None:
            return None
        qualname = self.resolve_name(module, annotation)
        return qualname if qualname in self.classes else None

    def returned_class(self, module: Module, function: ast.expr) -> str | None:
        """Return the project class a call returns: the class it calls, or the callee's annotation."""
        qualname = self.resolve_name(module, function) or ""
        if qualname in self.classes:
            return qualname
        definition = self.definitions.get(qualname)
        if definition is None or isinstance(definition.node, ast.Module):
            return None
        return self.annotated_class(definition.module, definition.node.returns)

    def constructs(self, definition: Definition, function: ast.expr, class_name: str) -> bool:
        """Tell whether calling ``function`` inside ``definition`` builds a ``class_name`` object."""
        if isinstance(function, ast.Name) and function.id == "cls":
            return definition.qualname.startswith(f"{class_name}.")
        return self.resolve_name(definition.module, function) == class_name

    def canonical(self, qualname: str) -> str:
        """Follow a package's re-exports: ``pkg.name`` becomes what ``pkg`` imported as ``name``."""
        for _ in range(10):
            if qualname in self.definitions or qualname in self.classes or qualname in self.modules:
                return qualname
            module_name, _, attribute = qualname.rpartition(".")
            module = self.modules.get(module_name)
            if module is None or attribute not in module.imports:
                return qualname
            qualname = module.imports[attribute]
        return qualname


def collect_imports(tree: ast.Module, module_name: str, is_package: bool) -> dict[str, str]:
    """Return {local name: qualified name} for every import anywhere in the module."""
    package_parts = module_name.split(".") if is_package else module_name.split(".")[:-1]
    imports = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    imports[top] = top
        elif isinstance(node, ast.ImportFrom):
            base_parts = package_parts[: len(package_parts) - node.level + 1] if node.level else []
            base = ".".join([*base_parts, *(node.module.split(".") if node.module else [])])
            for alias in node.names:
                imports[alias.asname or alias.name] = f"{base}.{alias.name}"
    return imports


def collect_constants(tree: ast.Module) -> dict[str, str]:
    """Return module-level ``NAME = "text"`` assignments."""
    constants = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value.value
    return constants


def own_nodes(definition: Definition) -> Iterator[ast.AST]:
    """Yield the nodes of a function body, or of a module's top level without its functions."""
    if isinstance(definition.node, ast.Module):
        for statement in definition.node.body:
            if isinstance(statement, ast.ClassDef):
                yield from (decorator for decorator in statement.decorator_list)
                continue
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in statement.decorator_list:
                    yield from ast.walk(decorator)
                continue
            yield from ast.walk(statement)
        return
    for statement in definition.node.body:
        yield from ast.walk(statement)


class Scanner:
    """Walk the calls reachable from a function's handler modules and collect what they need."""

    def __init__(self, index: CodeIndex, table_fields: set[str]) -> None:
        self.index = index
        self.table_fields = table_fields
        self.result = ScanResult()
        self._seen: set[tuple[str, frozenset[tuple[str, Ref]]]] = set()
        self._settings_fields: dict[tuple[str, str], Ref | None] = {}

    def scan(self) -> ScanResult:
        work: list[tuple[str, dict[str, Ref]]] = []
        for module_name in self.index.handler_modules:
            work.append((f"{module_name}.<module>", {}))
            work.extend(
                (qualname, {})
                for qualname in self.index.definitions
                if qualname.startswith(f"{module_name}.")
            )
        while work:
            qualname, bindings = work.pop()
            key = (qualname, frozenset(bindings.items()))
            if key in self._seen:
                continue
            self._seen.add(key)
            self.result.reached.add(qualname)
            work.extend(self._visit(self.index.definitions[qualname], bindings))
        return self.result

    def _visit(self, definition: Definition, bindings: dict[str, Ref]) -> list[tuple[str, dict[str, Ref]]]:
        """Record the accesses of one function; return the calls it makes with their bindings."""
        module = definition.module
        assignments = local_assignments(definition)
        paginated = {
            DYNAMODB_OPERATIONS[str(node.args[0].value)]
            for node in own_nodes(definition)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_paginator"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in DYNAMODB_OPERATIONS
        }
        context = Context(self, definition, bindings, assignments)
        called = {id(node.func) for node in own_nodes(definition) if isinstance(node, ast.Call)}
        next_calls: list[tuple[str, dict[str, Ref]]] = []
        for node in own_nodes(definition):
            if isinstance(node, ast.Import | ast.ImportFrom):
                next_calls.extend(self._imported_modules(module, node))
            if isinstance(node, ast.Name | ast.Attribute) and id(node) not in called:
                next_calls.extend(self._referenced(module, node))
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Load)
                and is_os_environ(module, node.value)
            ):
                context.record_env_read(node.slice)
            if not isinstance(node, ast.Call):
                continue
            self._record_call(context, node, paginated)
            callee = self.index.resolve_name(module, node.func)
            if callee in self.index.definitions:
                next_calls.append(
                    (callee, self._bind_arguments(context, node, self.index.definitions[callee]))
                )
            elif callee in self.index.classes:
                # The instance's methods are called through a variable the scan cannot type.
                next_calls.extend((method, {}) for method in self.index.classes[callee])
        return next_calls

    def settings_field(self, class_name: str, attribute: str, depth: int) -> Ref | None:
        """Return what ``attribute`` of a ``class_name`` object names, from the calls that build one.

        Every call in the project that builds the class with ``attribute=`` must name the same
        resource. A field set positionally, by default or by ``model_validate`` is unknown.
        """
        key = (class_name, attribute)
        if key in self._settings_fields:
            return self._settings_fields[key]
        self._settings_fields[key] = None  # a field built from itself stays unknown
        found: set[Ref | None] = set()
        for definition in list(self.index.definitions.values()):
            for node in own_nodes(definition):
                if not isinstance(node, ast.Call) or not self.index.constructs(definition, node.func, class_name):
                    continue
                context = Context(self, definition, {}, local_assignments(definition))
                found.update(
                    context.evaluate(keyword.value, depth + 1)
                    for keyword in node.keywords
                    if keyword.arg == attribute
                )
        value = found.pop() if len(found) == 1 else None
        self._settings_fields[key] = value
        return value

    def _imported_modules(
        self, module: Module, node: ast.Import | ast.ImportFrom
    ) -> Iterator[tuple[str, dict[str, Ref]]]:
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            target = module.imports.get(name, "")
            for candidate in (target, target.rpartition(".")[0]):
                if f"{candidate}.<module>" in self.index.definitions:
                    yield f"{candidate}.<module>", {}

    def _referenced(
        self, module: Module, node: ast.Name | ast.Attribute
    ) -> Iterator[tuple[str, dict[str, Ref]]]:
        """Follow a project function or class named without a call (a decorator, a callback)."""
        qualname = self.index.resolve_name(module, node)
        if qualname is None:
            return
        if qualname in self.index.definitions:
            yield qualname, {}
        for method in self.index.classes.get(qualname, []):
            yield method, {}

    def _bind_arguments(self, context: "Context", call: ast.Call, callee: Definition) -> dict[str, Ref]:
        parameters = callee.parameters
        if parameters and parameters[0] in ("self", "cls"):
            parameters = parameters[1:]
        bound: dict[str, Ref] = {}
        for name, argument in zip(parameters, call.args, strict=False):
            bound[name] = context.evaluate(argument) or Unknown()
        for keyword in call.keywords:
            if keyword.arg in callee.parameters:
                bound[keyword.arg] = context.evaluate(keyword.value) or Unknown()
        return bound

    def _record_call(self, context: "Context", call: ast.Call, paginated: set[str]) -> None:
        module = context.definition.module
        callee = self.index.resolve_name(module, call.func) or ""
        keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
        method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        for keyword in call.keywords:
            if keyword.arg is not None:
                continue
            unpacked = unpacked_keywords(context.definition, keyword.value)
            if unpacked is None and method in {*DYNAMODB_OPERATIONS, *SQS_OPERATIONS}:
                self.result.problems.append(f"{context.where}: cannot read the ** arguments of {method}()")
            keywords.update(unpacked or {})

        if callee in ("os.environ.get", "os.getenv") or (
            method == "get" and is_os_environ(module, call.func)
        ):
            context.record_env_read(call.args[0] if call.args else None)
        elif callee in ("boto3.client", "boto3.resource") and call.args:
            service = context.evaluate(call.args[0])
            if isinstance(service, Const):
                self.result.services[service.value] = context.where
        elif callee in PARAMETER_GETTERS:
            context.record(PARAMETER_GETTERS[callee], call.args[0] if call.args else keywords.get("name"))
        elif callee in IDEMPOTENCY_LAYERS:
            for action in IDEMPOTENCY_ACTIONS:
                context.record(action, keywords.get("table_name"))
        elif method == "add_metric":
            metric = keywords.get("name") or (call.args[0] if call.args else None)
            value = context.evaluate(metric) if metric is not None else None
            if isinstance(value, Const):
                self.result.metrics.add(value.value)
        elif "TableName" in keywords:
            operations = paginated if method == "paginate" else {DYNAMODB_OPERATIONS.get(method, "")}
            for operation in operations:
                if not operation:
                    self.result.problems.append(f"{context.where}: unknown DynamoDB method {method}()")
                    continue
                context.record(f"dynamodb:{operation}", keywords["TableName"], keywords.get("IndexName"))
        elif "RequestItems" in keywords and method in DYNAMODB_OPERATIONS:
            self._record_batch(context, method, keywords["RequestItems"])
        elif "TransactItems" in keywords:
            self._record_transaction(context, keywords["TransactItems"])
        elif "QueueUrl" in keywords and method in SQS_OPERATIONS:
            context.record(f"sqs:{SQS_OPERATIONS[method]}", keywords["QueueUrl"])
        elif method == "send_raw_email" or (method == "send_email" and "Content" in keywords):
            raw = method == "send_raw_email" or is_raw_content(keywords.get("Content"))
            context.record("ses:SendRawEmail" if raw else "ses:SendEmail", None)
        elif method == "send_email" and ("Message" in keywords or "Destination" in keywords):
            context.record("ses:SendEmail", None)

    def _record_batch(self, context: "Context", method: str, request_items: ast.expr) -> None:
        literals = batch_request_literals(context.definition, request_items)
        if not literals:
            self.result.problems.append(
                f"{context.where}: {method}() RequestItems is neither a dict literal nor a name bound to one"
            )
            return
        for literal in literals:
            for key in literal.keys:
                if key is not None:
                    context.record(f"dynamodb:{DYNAMODB_OPERATIONS[method]}", key)

    def _record_transaction(self, context: "Context", items: ast.expr) -> None:
        entries = items.elts if isinstance(items, ast.List | ast.Tuple) else []
        if not entries:
            self.result.problems.append(f"{context.where}: TransactItems is not a list literal")
        for entry in entries:
            if not isinstance(entry, ast.Dict):
                self.result.problems.append(f"{context.where}: a TransactItems entry is not a dict literal")
                continue
            for key, value in zip(entry.keys, entry.values, strict=True):
                action = TRANSACT_ITEM_ACTIONS.get(key.value) if isinstance(key, ast.Constant) else None
                table = dict_value(value, "TableName")
                if action is None or table is None:
                    self.result.problems.append(f"{context.where}: cannot read a TransactItems entry")
                    continue
                context.record(f"dynamodb:{action}", table)


@dataclass
class Context:
    """One function being visited, with its parameters' bindings."""

    scanner: Scanner
    definition: Definition
    bindings: dict[str, Ref]
    assignments: dict[str, ast.expr]

    @property
    def where(self) -> str:
        return self.definition.qualname.removesuffix(".<module>")

    def evaluate(self, expression: ast.expr, depth: int = 0) -> Ref | None:
        """Return what a table, queue or parameter expression refers to, or None when unknown."""
        if depth > 8:
            return None
        module = self.definition.module
        if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            return Const(expression.value)
        if isinstance(expression, ast.Name):
            if expression.id in self.bindings:
                return self.bindings[expression.id]
            if expression.id in self.assignments:
                return self.evaluate(self.assignments[expression.id], depth + 1)
            if expression.id in self.definition.parameters:
                return Param(expression.id)
            if expression.id in module.constants:
                return Const(module.constants[expression.id])
            return self._imported_constant(expression)
        if isinstance(expression, ast.Attribute):
            if isinstance(expression.value, ast.Call) and expression.attr in self.scanner.table_fields:
                return Field(expression.attr)
            settings_class = self._class_of(expression.value)
            if settings_class is not None:
                return self.scanner.settings_field(settings_class, expression.attr, depth)
            return self._imported_constant(expression)
        if isinstance(expression, ast.BoolOp) and isinstance(expression.op, ast.Or):
            return self._evaluate_or(expression, depth)
        if isinstance(expression, ast.Subscript) and is_os_environ(module, expression.value):
            variable = self.evaluate(expression.slice, depth + 1)
            return Env(variable.value) if isinstance(variable, Const) else None
        if isinstance(expression, ast.Call):
            return self._evaluate_call(expression, depth)
        return None

    def _class_of(self, expression: ast.expr) -> str | None:
        """Return the project class of a parameter's annotation, or of the call a local is assigned."""
        node = self.definition.node
        if not isinstance(expression, ast.Name) or isinstance(node, ast.Module):
            return None
        index = self.scanner.index
        for argument in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
            if argument.arg == expression.id:
                return index.annotated_class(self.definition.module, argument.annotation)
        value = self.assignments.get(expression.id)
        if isinstance(value, ast.Call):
            return index.returned_class(self.definition.module, value.func)
        return None

    def _evaluate_or(self, expression: ast.BoolOp, depth: int) -> Ref | None:
        """Return what ``a or b`` names when every operand that can name a resource names the same.

        Falsy literals (``None``, ``""``) name nothing, and LOCAL_MODE_CALLS run only locally.
        """
        results: set[Ref | None] = set()
        for value in expression.values:
            if isinstance(value, ast.Constant) and not value.value:
                continue
            if isinstance(value, ast.Call):
                callee = self.scanner.index.resolve_name(self.definition.module, value.func)
                if callee in LOCAL_MODE_CALLS:
                    continue
            results.add(self.evaluate(value, depth + 1))
        return results.pop() if len(results) == 1 else None

    def _imported_constant(self, expression: ast.Name | ast.Attribute) -> Ref | None:
        qualname = self.scanner.index.resolve_name(self.definition.module, expression)
        if qualname is None:
            return None
        module_name, _, name = qualname.rpartition(".")
        module = self.scanner.index.modules.get(module_name)
        if module is not None and name in module.constants:
            return Const(module.constants[name])
        return None

    def _evaluate_call(self, call: ast.Call, depth: int) -> Ref | None:
        module = self.definition.module
        callee = self.scanner.index.resolve_name(module, call.func) or ""
        if callee in ("os.environ.get", "os.getenv") or (
            isinstance(call.func, ast.Attribute)
            and call.func.attr == "get"
            and is_os_environ(module, call.func)
        ):
            variable = self.evaluate(call.args[0], depth + 1) if call.args else None
            return Env(variable.value) if isinstance(variable, Const) else None
        if isinstance(call.func, ast.Name) and call.func.id in ("str", "getattr") and call.args:
            if call.func.id == "str":
                return self.evaluate(call.args[0], depth + 1)
            if isinstance(call.args[0], ast.Call) and len(call.args) == 2:
                name = self.evaluate(call.args[1], depth + 1)
                return self._table_field(name)
        definition = self.scanner.index.definitions.get(callee)
        returned = single_return(definition) if definition else None
        if definition is None or returned is None:
            return None
        bindings = self.scanner._bind_arguments(self, call, definition)
        inner = Context(self.scanner, definition, bindings, local_assignments(definition))
        return inner.evaluate(returned, depth + 1)

    def _table_field(self, name: Ref | None) -> Ref | None:
        if isinstance(name, Const):
            return Field(name.value) if name.value in self.scanner.table_fields else None
        return name if isinstance(name, Param | Unknown) else None

    def record_env_read(self, argument: ast.expr | None) -> None:
        variable = self.evaluate(argument) if argument is not None else None
        if isinstance(variable, Const):
            self.scanner.result.env_reads.setdefault(variable.value, self.where)

    def record(
        self, action: str, target_expression: ast.expr | None, index_expression: ast.expr | None = None
    ) -> None:
        """Record one access; report it when its table, queue or parameter cannot be resolved."""
        result = self.scanner.result
        if action.startswith("ses:"):
            result.accesses.add(Access(action, None, None, self.where))
            return
        target = self.evaluate(target_expression) if target_expression is not None else None
        if isinstance(target, Const) and target.value in self.scanner.table_fields:
            target = Field(target.value)
        if isinstance(target, Param):
            # Unbound here: a caller passes it. Callers reached with a constant record it then.
            return
        if not isinstance(target, Field | Env):
            result.problems.append(f"{self.where}: cannot tell which resource {action} acts on")
            return
        index = self.evaluate(index_expression) if index_expression is not None else None
        if index_expression is not None and not isinstance(index, Const):
            result.problems.append(f"{self.where}: cannot tell which index {action} uses")
            return
        index_name = index.value if isinstance(index, Const) else None
        result.accesses.add(Access(action, target, index_name, self.where))


def local_assignments(definition: Definition) -> dict[str, ast.expr]:
    """Return ``name = expression`` assignments made inside a function (the last one wins)."""
    if isinstance(definition.node, ast.Module):
        return {}
    assignments = {}
    for node in own_nodes(definition):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assignments[node.targets[0].id] = node.value
    return assignments


def batch_request_literals(definition: Definition, request_items: ast.expr) -> list[ast.Dict]:
    """Return the dict literals a batch call's ``RequestItems`` is built from, or [] when unknown.

    A name counts when every binding of it in the function is a dict literal or the retry part
    of a batch response (``response.get("UnprocessedKeys") or {}``), which names only tables
    of the request that returned it.
    """
    if isinstance(request_items, ast.Dict):
        return [request_items]
    if not isinstance(request_items, ast.Name):
        return []
    literals = []
    for value in name_bindings(definition, request_items.id):
        if isinstance(value, ast.Dict):
            literals.append(value)
        elif not is_batch_retry(value):
            return []
    return literals


def unpacked_keywords(definition: Definition, expression: ast.expr) -> dict[str, ast.expr] | None:
    """Return the keywords ``**expression`` passes when every binding of it is a dict literal.

    Returns None when the scan cannot read them. Keys added later by subscript assignment are
    not included.
    """
    values = name_bindings(definition, expression.id) if isinstance(expression, ast.Name) else [expression]
    literals = [value for value in values if isinstance(value, ast.Dict)]
    if not literals or len(literals) != len(values):
        return None
    keywords = {}
    for literal in literals:
        for key, item in zip(literal.keys, literal.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                keywords[key.value] = item
    return keywords


def name_bindings(definition: Definition, name: str) -> list[ast.expr]:
    """Return every value a function assigns to ``name``, annotated assignments included."""
    if isinstance(definition.node, ast.Module):
        return []
    values = []
    for node in own_nodes(definition):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            values.append(value)
    return values


def is_batch_retry(expression: ast.expr | None) -> bool:
    """Tell whether an expression is ``x.get(KEY)``, ``x[KEY]`` or ``... or {}`` for a retry key."""
    if isinstance(expression, ast.BoolOp) and isinstance(expression.op, ast.Or):
        first, *rest = expression.values
        empty = all(isinstance(value, ast.Dict) and not value.keys for value in rest)
        return empty and is_batch_retry(first)
    if (
        isinstance(expression, ast.Call)
        and isinstance(expression.func, ast.Attribute)
        and expression.func.attr == "get"
        and expression.args
    ):
        key: ast.expr | None = expression.args[0]
    elif isinstance(expression, ast.Subscript):
        key = expression.slice
    else:
        return False
    return isinstance(key, ast.Constant) and key.value in BATCH_RETRY_KEYS


def single_return(definition: Definition) -> ast.expr | None:
    """Return the expression of a function whose body returns exactly one value."""
    if isinstance(definition.node, ast.Module):
        return None
    returns = [node for node in own_nodes(definition) if isinstance(node, ast.Return) and node.value]
    return returns[0].value if len(returns) == 1 and returns[0].value else None


def is_os_environ(module: Module, expression: ast.expr) -> bool:
    target = (
        expression.value if isinstance(expression, ast.Attribute) and expression.attr == "get" else expression
    )
    if isinstance(target, ast.Attribute) and target.attr == "environ" and isinstance(target.value, ast.Name):
        return module.imports.get(target.value.id) == "os"
    return isinstance(target, ast.Name) and module.imports.get(target.id) == "os.environ"


def is_raw_content(content: ast.expr | None) -> bool:
    return isinstance(content, ast.Dict) and any(
        isinstance(key, ast.Constant) and key.value == "Raw" for key in content.keys
    )


def dict_value(node: ast.expr, key: str) -> ast.expr | None:
    if not isinstance(node, ast.Dict):
        return None
    for dict_key, value in zip(node.keys, node.values, strict=True):
        if isinstance(dict_key, ast.Constant) and dict_key.value == key:
            return value
    return None


def scan_function(layer_root: Path, function_dir: Path, table_fields: set[str]) -> ScanResult:
    """Scan one function's folder with the layer's packages."""
    return Scanner(CodeIndex(layer_root, function_dir), table_fields).scan()


def unknown_services(result: ScanResult) -> dict[str, str]:
    """Return the AWS services a function creates clients for that this scan cannot check."""
    return {
        service: where for service, where in result.services.items() if service not in UNDERSTOOD_SERVICES
    }
