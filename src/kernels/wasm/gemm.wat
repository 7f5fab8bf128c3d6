;; The matrix-product micro-kernel of shapegrad's WebAssembly backend, in WebAssembly text.
;; Assembled by `npm run build:wasm` (src/kernels/wasm/build.ts, with the wabt package) into
;; gemm-wasm.generated.ts; the binary is never committed.
;;
;; It multiplies panels that the JavaScript side has packed into this module's memory, exactly as
;; the TypeScript kernel packs them (src/kernels/gemm.ts): op(A) in panels of 4 rows and op(B) in
;; panels of 4 columns, each stored k-major (4 consecutive float64 per step of k). Each 4x4 block of
;; C is kept in eight f64x2 registers (two per row) across the k loop, so one step of k is
;; 4 loads-and-splats of A, 2 vector loads of B and 8 vector multiply-adds: 32 floating-point
;; operations.
;;
;; C is a padded (4 mPanels) x (4 nPanels) float64 matrix in memory; the caller copies out the part
;; that lies inside the real C. Float64 throughout: results match the TypeScript kernel to rounding.
(module
  (memory (export "memory") 1)

  ;; kernel(pa, pb, pc, mPanels, nPanels, kc, first): C (+)= packed A times packed B.
  ;; pa, pb, pc are byte offsets; first = 1 writes C, first = 0 adds to it.
  (func (export "kernel")
    (param $pa i32) (param $pb i32) (param $pc i32) (param $mp i32) (param $np i32) (param $kc i32) (param $first i32)
    (local $ip i32) (local $jp i32) (local $a i32) (local $b i32) (local $aend i32) (local $c i32)
    (local $panel i32) (local $ldc i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    ;; bytes per packed panel (kc steps of 4 float64) and per padded row of C (nPanels * 4 float64)
    (local.set $panel (i32.shl (local.get $kc) (i32.const 5)))
    (local.set $ldc (i32.shl (local.get $np) (i32.const 5)))
    (local.set $jp (i32.const 0))
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_u (local.get $jp) (local.get $np)))
      (local.set $ip (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $ip) (local.get $mp)))
        (local.set $c00 (v128.const i64x2 0 0))
        (local.set $c01 (v128.const i64x2 0 0))
        (local.set $c10 (v128.const i64x2 0 0))
        (local.set $c11 (v128.const i64x2 0 0))
        (local.set $c20 (v128.const i64x2 0 0))
        (local.set $c21 (v128.const i64x2 0 0))
        (local.set $c30 (v128.const i64x2 0 0))
        (local.set $c31 (v128.const i64x2 0 0))
        (local.set $a (i32.add (local.get $pa) (i32.mul (local.get $ip) (local.get $panel))))
        (local.set $b (i32.add (local.get $pb) (i32.mul (local.get $jp) (local.get $panel))))
        (local.set $aend (i32.add (local.get $a) (local.get $panel)))
        ;; kc >= 1 always, so the loop tests at its end (one branch per step of k)
        (loop $kloop
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          (local.set $x (v128.load64_splat (local.get $a)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=8 (local.get $a)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=16 (local.get $a)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=24 (local.get $a)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $a (i32.add (local.get $a) (i32.const 32)))
          (local.set $b (i32.add (local.get $b) (i32.const 32)))
          (br_if $kloop (i32.lt_u (local.get $a) (local.get $aend))))
        ;; the block's first row in C: pc + (4 ip) ldc + 32 jp
        (local.set $c (i32.add (local.get $pc)
          (i32.add (i32.mul (i32.shl (local.get $ip) (i32.const 2)) (local.get $ldc)) (i32.shl (local.get $jp) (i32.const 5)))))
        (if (local.get $first)
          (then
            (v128.store (local.get $c) (local.get $c00))
            (v128.store offset=16 (local.get $c) (local.get $c01))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (local.get $c10))
            (v128.store offset=16 (local.get $c) (local.get $c11))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (local.get $c20))
            (v128.store offset=16 (local.get $c) (local.get $c21))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (local.get $c30))
            (v128.store offset=16 (local.get $c) (local.get $c31))
          )
          (else
            (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c00)))
            (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c10)))
            (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c20)))
            (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c30)))
            (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c31)))
          ))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (br $iloop)))
      (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
      (br $jloop)))
  )
)
