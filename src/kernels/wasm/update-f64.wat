;; The float64 twins of update-f32.wat (same functions, same arguments, same order of operations
;; as the TypeScript loops of src/optim, so the results are the same to the last bit), two values
;; per vector step. Addresses are byte offsets into the kernel heap's memory.
(module
  (import "env" "memory" (memory 1))

  ;; adam(w, g, m, v, n, beta1, beta2, stepSize, eps): for each of the n entries
  ;; m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g g, w = w - stepSize m / (sqrt(v) + eps)
  ;; (stepSize and eps already bias-corrected by the caller, as in src/optim/adam.ts).
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $b1d f64) (param $b2d f64) (param $sd f64) (param $ed f64)
    (local $o i32) (local $vend i32) (local $end i32)
    (local $b1 f64) (local $c1 f64) (local $b2 f64) (local $c2 f64) (local $s f64) (local $e f64)
    (local $B1 v128) (local $C1 v128) (local $B2 v128) (local $C2 v128) (local $S v128) (local $E v128)
    (local $gi v128) (local $mi v128) (local $vi v128) (local $x f64) (local $y f64) (local $z f64)
    (local.set $b1 (local.get $b1d))
    (local.set $c1 (f64.sub (f64.const 1) (local.get $b1d)))
    (local.set $b2 (local.get $b2d))
    (local.set $c2 (f64.sub (f64.const 1) (local.get $b2d)))
    (local.set $s (local.get $sd))
    (local.set $e (local.get $ed))
    (local.set $B1 (f64x2.splat (local.get $b1))) (local.set $C1 (f64x2.splat (local.get $c1)))
    (local.set $B2 (f64x2.splat (local.get $b2))) (local.set $C2 (f64x2.splat (local.get $c2)))
    (local.set $S (f64x2.splat (local.get $s))) (local.set $E (f64x2.splat (local.get $e)))
    (local.set $vend (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $vdone (loop $vec
      (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
      (local.set $gi (v128.load (i32.add (local.get $g) (local.get $o))))
      (local.set $mi (f64x2.add (f64x2.mul (local.get $B1) (v128.load (i32.add (local.get $m) (local.get $o)))) (f64x2.mul (local.get $C1) (local.get $gi))))
      (local.set $vi (f64x2.add (f64x2.mul (local.get $B2) (v128.load (i32.add (local.get $v) (local.get $o))))
        (f64x2.mul (f64x2.mul (local.get $C2) (local.get $gi)) (local.get $gi))))
      (v128.store (i32.add (local.get $m) (local.get $o)) (local.get $mi))
      (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vi))
      (v128.store (i32.add (local.get $w) (local.get $o)) (f64x2.sub (v128.load (i32.add (local.get $w) (local.get $o)))
        (f64x2.div (f64x2.mul (local.get $S) (local.get $mi)) (f64x2.add (f64x2.sqrt (local.get $vi)) (local.get $E)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $vec)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $x (f64.load (i32.add (local.get $g) (local.get $o))))
      (local.set $y (f64.add (f64.mul (local.get $b1) (f64.load (i32.add (local.get $m) (local.get $o)))) (f64.mul (local.get $c1) (local.get $x))))
      (local.set $z (f64.add (f64.mul (local.get $b2) (f64.load (i32.add (local.get $v) (local.get $o)))) (f64.mul (f64.mul (local.get $c2) (local.get $x)) (local.get $x))))
      (f64.store (i32.add (local.get $m) (local.get $o)) (local.get $y))
      (f64.store (i32.add (local.get $v) (local.get $o)) (local.get $z))
      (f64.store (i32.add (local.get $w) (local.get $o)) (f64.sub (f64.load (i32.add (local.get $w) (local.get $o)))
        (f64.div (f64.mul (local.get $s) (local.get $y)) (f64.add (f64.sqrt (local.get $z)) (local.get $e)))))
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (br $one)))
  )

  ;; momentum(w, g, v, n, beta, rate): v = beta v + g, w = w - rate v (src/optim/momentum.ts).
  (func (export "momentum")
    (param $w i32) (param $g i32) (param $v i32) (param $n i32) (param $betad f64) (param $rated f64)
    (local $o i32) (local $vend i32) (local $end i32) (local $beta f64) (local $rate f64) (local $B v128) (local $R v128) (local $vi v128) (local $y f64)
    (local.set $beta (local.get $betad))
    (local.set $rate (local.get $rated))
    (local.set $B (f64x2.splat (local.get $beta)))
    (local.set $R (f64x2.splat (local.get $rate)))
    (local.set $vend (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $vdone (loop $vec
      (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
      (local.set $vi (f64x2.add (f64x2.mul (local.get $B) (v128.load (i32.add (local.get $v) (local.get $o)))) (v128.load (i32.add (local.get $g) (local.get $o)))))
      (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vi))
      (v128.store (i32.add (local.get $w) (local.get $o)) (f64x2.sub (v128.load (i32.add (local.get $w) (local.get $o))) (f64x2.mul (local.get $R) (local.get $vi))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $vec)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $y (f64.add (f64.mul (local.get $beta) (f64.load (i32.add (local.get $v) (local.get $o)))) (f64.load (i32.add (local.get $g) (local.get $o)))))
      (f64.store (i32.add (local.get $v) (local.get $o)) (local.get $y))
      (f64.store (i32.add (local.get $w) (local.get $o)) (f64.sub (f64.load (i32.add (local.get $w) (local.get $o))) (f64.mul (local.get $rate) (local.get $y))))
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (br $one)))
  )

  ;; axpy(x, s, out, n): out = out + s x, the gradient-descent step (s = -rate; src/optim/sgd.ts).
  (func (export "axpy")
    (param $x i32) (param $sd f64) (param $out i32) (param $n i32)
    (local $o i32) (local $vend i32) (local $end i32) (local $s f64) (local $S v128)
    (local.set $s (local.get $sd))
    (local.set $S (f64x2.splat (local.get $s)))
    (local.set $vend (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $vdone (loop $vec
      (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
      (v128.store (i32.add (local.get $out) (local.get $o))
        (f64x2.add (v128.load (i32.add (local.get $out) (local.get $o))) (f64x2.mul (local.get $S) (v128.load (i32.add (local.get $x) (local.get $o))))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $vec)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (f64.store (i32.add (local.get $out) (local.get $o))
        (f64.add (f64.load (i32.add (local.get $out) (local.get $o))) (f64.mul (local.get $s) (f64.load (i32.add (local.get $x) (local.get $o))))))
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (br $one)))
  )

  ;; allFinite(p, n): 1 when the n entries at p are all finite, else 0 (fit's checks of the gradients
  ;; and of the updated parameters). x - x is 0 for every finite x and NaN for NaN and the infinities,
  ;; and a NaN stays in a sum: four vector sums of x - x, 8 entries per step, then the last n mod 8.
  (func (export "allFinite") (param $p i32) (param $n i32) (result i32)
    (local $o i32) (local $vend i32) (local $end i32) (local $x v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $t f64)
    (local.set $vend (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $vdone (loop $vec
      (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
      (local.set $x (v128.load (i32.add (local.get $p) (local.get $o))))
      (local.set $s0 (f64x2.add (local.get $s0) (f64x2.sub (local.get $x) (local.get $x))))
      (local.set $x (v128.load offset=16 (i32.add (local.get $p) (local.get $o))))
      (local.set $s1 (f64x2.add (local.get $s1) (f64x2.sub (local.get $x) (local.get $x))))
      (local.set $x (v128.load offset=32 (i32.add (local.get $p) (local.get $o))))
      (local.set $s2 (f64x2.add (local.get $s2) (f64x2.sub (local.get $x) (local.get $x))))
      (local.set $x (v128.load offset=48 (i32.add (local.get $p) (local.get $o))))
      (local.set $s3 (f64x2.add (local.get $s3) (f64x2.sub (local.get $x) (local.get $x))))
      (local.set $o (i32.add (local.get $o) (i32.const 64)))
      (br $vec)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $t (f64.add (local.get $t) (f64.sub (f64.load (i32.add (local.get $p) (local.get $o))) (f64.load (i32.add (local.get $p) (local.get $o))))))
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (br $one)))
    (i32.and
      (i64x2.all_true (f64x2.eq (f64x2.add (f64x2.add (local.get $s0) (local.get $s1)) (f64x2.add (local.get $s2) (local.get $s3))) (v128.const i32x4 0 0 0 0)))
      (f64.eq (local.get $t) (f64.const 0))))

  ;; copy(src, dst, bytes): the parameters' backup before an update (memory.copy: no per-value loop).
  (func (export "copy") (param $src i32) (param $dst i32) (param $bytes i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $bytes)))
)
